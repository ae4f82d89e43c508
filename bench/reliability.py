"""The reliability and security proof (``make reliability``), bounded in time and count; prints
one table of figures and exits non-zero if any check failed.

    .venv/bin/python bench/reliability.py                       # everything (~15 min)
    .venv/bin/python bench/reliability.py --only fuzz           # make fuzz: >= 10,000 cases
    .venv/bin/python bench/reliability.py --load-seconds 30     # a shorter load run

Parts: crash (SIGKILL during ingest, 20 rounds), tests (retries, bad-input table, isolation
matrix, daily limit: the pytest files of tests/reliability), fuzz (schemathesis over every
surface), limit (50 concurrent clients against a daily limit), load (200 clients, 5 minutes).
Every server is a ``mediastats serve`` subprocess on 127.0.0.1 with a temp data dir.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import ADMIN_TOKEN  # noqa: E402
from tests.helpers import ServeProcess  # noqa: E402
from tests.reliability.crash import run_crash_drill  # noqa: E402
from tests.reliability.fuzz import FuzzFigures, fuzz  # noqa: E402
from tests.reliability.surfaces import QUERY_CALLS, send  # noqa: E402
from tests.reliability.tenants import Tenant, make_tenant  # noqa: E402

from bench.load import print_table, run_load  # noqa: E402

Rows = list[tuple[str, str]]
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def crash_part(args: argparse.Namespace) -> tuple[Rows, bool]:
    with tempfile.TemporaryDirectory() as tmp:
        f = run_crash_drill(Path(tmp) / "data", rounds=args.crash_rounds, seed=20)
    return [
        ("crash: SIGKILL rounds", str(f.rounds)),
        ("crash: batches sent / acknowledged / resent", f"{f.batches} / {f.acknowledged} / {f.resent}"),
        ("crash: events lost / doubled / partial batches", f"{f.lost} / {f.doubled} / {f.in_flight_partial}"),
        ("crash: publish pushes missing (of expected)", f"{len(f.publish_missing)} (of {f.publish_expected})"),
        ("crash: stored-unacknowledged batches / never pushed", f"{len(f.stored_unacknowledged)} / {f.publish_gap}"),
        ("crash: reports built after restarts", str(f.reports_built)),
        ("crash: seconds", f"{f.seconds:.0f}"),
    ], f.ok


def tests_part(args: argparse.Namespace) -> tuple[Rows, bool]:
    files = ["test_retries.py", "test_bad_input.py", "test_isolation_matrix.py", "test_daily_limit.py"]
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *(f"tests/reliability/{f}" for f in files)],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
        env={**os.environ, "MEDIASTATS_BAD_INPUT": "all"},  # every case, not make test's third
    )
    summary = (done.stdout.strip().splitlines() or ["no output"])[-1]
    if done.returncode:
        print(done.stdout[-4000:])
    return [("tests: retries, bad input, isolation, limit", summary),
            ("tests: seconds", f"{time.time() - started:.0f}")], done.returncode == 0


def with_tenant(work: Callable[[str, Tenant], tuple[Rows, bool]]) -> tuple[Rows, bool]:
    with tempfile.TemporaryDirectory() as tmp, ServeProcess(Path(tmp) / "data") as serve:
        return work(serve.url, make_tenant(serve.url, ADMIN, f"rel{int(time.time())}"))


def fuzz_part(args: argparse.Namespace) -> tuple[Rows, bool]:
    def work(url: str, tenant: Tenant) -> tuple[Rows, bool]:
        total = FuzzFigures()
        seed = 1
        while total.cases < args.fuzz_cases and seed <= 20:
            f = fuzz(url, tenant, examples=args.fuzz_examples, seed=seed)
            total.cases += f.cases
            total.by_surface.update(f.by_surface)
            total.statuses.update(f.statuses)
            total.server_errors += f.server_errors
            total.shape_errors += f.shape_errors
            total.seconds += f.seconds
            seed += 1
        for line in (total.server_errors + total.shape_errors)[:20]:
            print("  fuzz problem:", line[:400])
        by = ", ".join(f"{s} {n}" for s, n in sorted(total.by_surface.items()))
        per_class: dict[int, int] = {}
        for status, n in total.statuses.items():
            per_class[status // 100] = per_class.get(status // 100, 0) + n
        classes = ", ".join(f"{c}xx {n}" for c, n in sorted(per_class.items()))
        return [("fuzz: schemathesis cases", str(total.cases)), ("fuzz: by surface", by),
                ("fuzz: status classes", classes),
                ("fuzz: 5xx / errors not in surface shape", f"{len(total.server_errors)} / {len(total.shape_errors)}"),
                ("fuzz: seconds", f"{total.seconds:.0f}")], \
            not total.server_errors and not total.shape_errors and total.cases >= args.fuzz_cases

    return with_tenant(work)


def limit_part(args: argparse.Namespace) -> tuple[Rows, bool]:
    def work(url: str, tenant: Tenant) -> tuple[Rows, bool]:
        limit = 173
        httpx.patch(f"{url}/admin/v1/accounts/{tenant.key.account_id}", json={"daily_api_limit": limit},
                    headers=ADMIN, timeout=30)
        calls = [c for c in QUERY_CALLS if "{channel}" not in c.path]

        def one(i: int) -> int:
            with httpx.Client(base_url=url, timeout=120) as c:
                return send(c, calls[i % len(calls)], tenant.key, tenant.ids()).status_code

        # The tenant's set-up made API calls today that count too: one probe call tells how
        # many remain (X-RateLimit-Remaining, after the probe itself).
        with httpx.Client(base_url=url, timeout=120) as c:
            probe = send(c, calls[0], tenant.key, tenant.ids())
        remaining = int(probe.headers["X-RateLimit-Remaining"])
        with ThreadPoolExecutor(max_workers=50) as pool:
            statuses = list(pool.map(one, range(400)))
        ok = sum(1 for s in statuses if 200 <= s < 300)
        refused = sum(1 for s in statuses if s == 429)
        return [("limit: 50 clients, 400 calls, limit / left before them", f"{limit} / {remaining}"),
                ("limit: answered 2xx / 429 / other", f"{ok} / {refused} / {len(statuses) - ok - refused}")], \
            ok == remaining and refused == len(statuses) - remaining

    return with_tenant(work)


def load_part(args: argparse.Namespace) -> tuple[Rows, bool]:
    with tempfile.TemporaryDirectory() as tmp, ServeProcess(Path(tmp) / "data") as serve:
        f = asyncio.run(run_load(serve.url, ADMIN_TOKEN, args.load_clients, args.load_seconds))
    return [(f"load: {k}", v) for k, v in f.rows()], f.errors == 0 and f.client_errors == 0


PARTS: dict[str, Callable[[argparse.Namespace], tuple[Rows, bool]]] = {
    "crash": crash_part, "tests": tests_part, "fuzz": fuzz_part, "limit": limit_part, "load": load_part,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", choices=list(PARTS), help="run only these parts")
    parser.add_argument("--crash-rounds", type=int, default=20)
    parser.add_argument("--fuzz-cases", type=int, default=10_000)
    parser.add_argument("--fuzz-examples", type=int, default=100, help="per operation and seed")
    parser.add_argument("--load-clients", type=int, default=200)
    parser.add_argument("--load-seconds", type=float, default=300)
    args = parser.parse_args()
    rows: Rows = []
    verdicts: list[tuple[str, bool]] = []
    for name in args.only or list(PARTS):
        print(f"running {name} …", flush=True)
        part_rows, ok = PARTS[name](args)
        rows += part_rows
        verdicts.append((name, ok))
        print_table(part_rows, name)
    print_table(rows + [(f"verdict: {n}", "PASS" if ok else "FAIL") for n, ok in verdicts], "reliability figures")
    return 0 if all(ok for _, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
