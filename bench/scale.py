"""Every answer at scale: 10 M (quick) or 100 M events over 90 days, rollups against raw events.

    .venv/bin/python bench/scale.py                      # 10 M events, the quick tier (< 10 min)
    .venv/bin/python bench/scale.py --events 100M        # the full figure
    .venv/bin/python bench/scale.py --events 1M --runs 3 # a smoke run
    .venv/bin/python bench/scale.py --reuse DIR          # measure again on data kept by --keep

1. ``mediastats serve`` on a fresh data dir creates the account (operator API), then stops;
2. the events are generated inside chdb (bench/scale_data.py, ``INSERT … SELECT … FROM
   numbers()``), so ``sessions_mv`` and the rollup views fire as in real ingest; the bytes on disk
   per event of every table are printed (``system.parts``);
3. the data dir is copied and two servers start, one per copy: ``MEDIASTATS_ROLLUPS=0`` (every
   answer by plain SQL over the raw ``events`` table — views, uniques and concurrency too, by
   ``GROUP BY session_id`` — the baseline) and ``=1`` (rollups and the sessions table). Both run
   at once so that "now"-relative windows (System73, live) can be compared: each call is timed on
   one server, then the other
   (cold = the first call after start, then ``--runs`` warm calls, ``--raw-runs`` on the baseline
   server: at 100 M a plain-SQL view count takes seconds), and the two answers are checked
   to be equal (the last timed answers; when they differ, asked again back to back, since a
   "now"-relative window may have passed a bucket boundary in between);
4. the table prints p50/p95 per call, ratio = raw ÷ rollup (p50 and p95) and pass/fail against the
   targets: p95 ≤ 50 ms, ≥ 5× faster than raw; then each server's RSS (VmRSS, peak VmHWM) against
   1.5 GiB.
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import orjson
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from tests.helpers import ServeProcess

from bench import scale_data
from bench.query import parse_count
from bench.scale_calls import Call, dashboard_calls, vendor_calls
from mediastats.storage import facts
from mediastats.storage.chdb_backend import ChdbStorage

P95_TARGET_MS = 50.0
SPEEDUP_TARGET = 5.0
RSS_TARGET_KIB = 1.5 * 2**20
console = Console(width=190)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)), 1) - 1]


@dataclass
class Timing:
    cold_ms: float
    p50_ms: float
    p95_ms: float


class LoggedServe(ServeProcess):
    """``mediastats serve`` logging to a file next to its data dir: a pipe nobody reads would fill
    up over a thousand calls and block the server."""

    def start(self, wait: bool = True) -> LoggedServe:
        with (self.data_dir.parent / "server.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "mediastats", "serve", "--data-dir", str(self.data_dir), "--port",
                 str(self.port)], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        if wait:
            self.wait_ready(timeout=1800)  # a migration's backfill may run first on big data
        return self


def create_account(data_dir: Path) -> dict[str, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    serve = LoggedServe(data_dir).start()
    try:
        with serve.admin() as admin:
            r = admin.post("/admin/v1/accounts", json={"name": "scale bench"})
            r.raise_for_status()
            return dict(r.json())
    finally:
        serve.kill(15)


def generate(data_dir: Path, account: str, events: int, days: int, channels: int) -> None:
    storage = ChdbStorage(data_dir)
    storage.migrate()
    end_ms = int(time.time() * 1000)
    sessions = max(int(events / scale_data.EVENTS_PER_SESSION), 1)
    began = time.perf_counter()
    columns = (TextColumn("generating"), BarColumn(), MofNCompleteColumn(), TextColumn("sessions"),
               TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("sessions", total=sessions)
        scale_data.generate(storage.query, account, events=events, days=days, channels=channels, end_ms=end_ms,
                            progress=lambda n: progress.advance(task, n))
    facts.rebuild(storage)  # ingest folds them; a bulk load writes them after
    took = time.perf_counter() - began
    stored = storage.query("SELECT count() FROM {db}.events").scalar()
    console.print(f"{stored:,} events ({sessions:,} sessions) over {days} days, {channels} channels, "
                  f"generated in {took:.1f} s ({stored / took:,.0f} events/s)")
    print_sizes(storage, stored)
    storage.close()


def print_sizes(storage: ChdbStorage, events: int) -> None:
    rows = storage.query(
        "SELECT table, sum(rows), sum(bytes_on_disk), sum(data_uncompressed_bytes) FROM system.parts "
        "WHERE active AND database = 'mediastats' AND table != 'schema_migrations' GROUP BY table ORDER BY table"
    ).rows
    table = Table(title="storage (system.parts, active parts as written)")
    for col in ("table", "rows", "bytes on disk", "bytes / own row", "bytes / event", "compression"):
        table.add_column(col, justify="right" if col != "table" else "left")
    total = 0
    for name, count, on_disk, raw in rows:
        total += on_disk
        table.add_row(name, f"{count:,}", f"{on_disk / 2**20:,.1f} MiB", f"{on_disk / max(count, 1):.1f}",
                      f"{on_disk / max(events, 1):.1f}", f"{raw / max(on_disk, 1):.1f}×")
    table.add_row("all", "", f"{total / 2**20:,.1f} MiB", "", f"{total / max(events, 1):.1f}", "")
    console.print(table)


class CallFailed(Exception):
    """A call answered other than 200 (shown in the table; the bench goes on with the others)."""


def timed(client: httpx.Client, call: Call, runs: int, label: str) -> tuple[Timing, Any]:
    """The timing of the first and the ``runs`` following calls, and the last answer."""
    times: list[float] = []
    for _ in range(runs + 1):
        began = time.perf_counter()
        r = client.request(call.method, call.path, **call.request_args())
        times.append((time.perf_counter() - began) * 1000)
        if r.status_code != 200:
            raise CallFailed(f"{label} answered {r.status_code}: {r.text[:200]}")
    warm = times[1:] or times
    return Timing(times[0], statistics.median(warm), p95(warm)), r.json()


def same_answer(raw: httpx.Client, fast: httpx.Client, call: Call, answers: tuple[Any, Any],
                tries: int = 3) -> str | None:
    """None if both servers gave the same body, else where they first differ. A now-relative
    window may have moved to its next bucket between the two timed runs, so a difference is asked
    again, back to back."""
    where = first_difference(*answers)
    for _ in range(tries if where else 0):
        a = raw.request(call.method, call.path, **call.request_args()).json()
        b = fast.request(call.method, call.path, **call.request_args()).json()
        where = first_difference(a, b)
        if where is None:
            return None
    return where


# Echoes of the request time (a now-relative window ends at the request, to the microsecond).
REQUEST_ECHOES = {"$.meta.time_range"}


def first_difference(a: Any, b: Any, path: str = "$") -> str | None:
    if path in REQUEST_ECHOES:
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                return f"{path}.{key}: only on {'rollups' if key in b else 'raw'}"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items raw, {len(b)} with rollups"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: raw {a!r}, rollups {b!r}"


def rss_kib(pid: int) -> tuple[int, int]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def verdict(ok: bool) -> str:
    return "[green]pass[/]" if ok else "[red]FAIL[/]"


@dataclass
class Outcome:
    call: Call
    raw: Timing
    fast: Timing
    difference: str | None  # None: the same answer

    @property
    def ratio_p50(self) -> float:
        return self.raw.p50_ms / self.fast.p50_ms

    @property
    def ratio_p95(self) -> float:
        return self.raw.p95_ms / self.fast.p95_ms


def measure(raw_dir: Path, fast_dir: Path, calls: list[Call], runs: int,
            raw_runs: int) -> tuple[list[Outcome], dict[str, Any]]:
    """Every call on both servers; returns the outcomes and each server's (VmRSS, VmHWM) in KiB."""
    raw_srv = LoggedServe(raw_dir, extra_env={"MEDIASTATS_ROLLUPS": "0"}).start()
    fast_srv = LoggedServe(fast_dir, extra_env={"MEDIASTATS_ROLLUPS": "1"}).start()
    assert raw_srv.proc is not None and fast_srv.proc is not None
    outcomes: list[Outcome] = []
    bar = (TextColumn("calls"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        raw = httpx.Client(base_url=raw_srv.url, timeout=600)
        fast = httpx.Client(base_url=fast_srv.url, timeout=600)
        with raw, fast, Progress(*bar, console=console, transient=True) as progress:
            task = progress.add_task("calls", total=len(calls))
            for call in calls:
                try:
                    (raw_t, raw_body), (fast_t, fast_body) = timed(raw, call, raw_runs, "raw"), timed(
                        fast, call, runs, "rollups")
                    outcomes.append(Outcome(call, raw_t, fast_t, same_answer(raw, fast, call, (raw_body, fast_body))))
                except CallFailed as exc:
                    failed = Timing(math.nan, math.nan, math.nan)
                    outcomes.append(Outcome(call, failed, failed, str(exc)))
                progress.advance(task)
        rss = {"raw": rss_kib(raw_srv.proc.pid), "rollups": rss_kib(fast_srv.proc.pid)}
    finally:
        raw_srv.kill(15)
        fast_srv.kill(15)
    return outcomes, rss


def print_outcomes(outcomes: list[Outcome], runs: int, raw_runs: int) -> None:
    table = Table(title=f"ms; p50 / p95 over {runs} warm calls ({raw_runs} on raw); cold = first call after start; "
                  "ratio = raw ÷ rollups")
    for col in ("call", "raw cold", "raw p50", "raw p95", "cold", "p50", "p95", "ratio p50", "ratio p95",
                "same", "p95≤50ms", "≥5×"):
        table.add_column(col, justify="left" if col == "call" else "right")
    for o in outcomes:
        table.add_row(o.call.name, *(f"{v:.1f}" for v in (o.raw.cold_ms, o.raw.p50_ms, o.raw.p95_ms, o.fast.cold_ms,
                                                          o.fast.p50_ms, o.fast.p95_ms)),
                      f"{o.ratio_p50:.2f}×", f"{o.ratio_p95:.2f}×", "yes" if o.difference is None else "[red]NO[/]",
                      verdict(o.fast.p95_ms <= P95_TARGET_MS), verdict(o.ratio_p50 >= SPEEDUP_TARGET))
    console.print(table)
    for o in outcomes:
        if o.difference:
            console.print(f"[red]answers differ[/] {o.call.name}: {o.difference}")
    n = len(outcomes)
    same = sum(o.difference is None for o in outcomes)
    fast = sum(o.fast.p95_ms <= P95_TARGET_MS for o in outcomes)
    faster = sum(o.ratio_p50 >= SPEEDUP_TARGET for o in outcomes)
    console.print(f"same answers raw vs rollups: {same}/{n} {verdict(same == n)}")
    console.print(f"p95 ≤ {P95_TARGET_MS:.0f} ms (rollups): {fast}/{n} {verdict(fast == n)}")
    console.print(f"≥ {SPEEDUP_TARGET:.0f}× faster than raw (p50): {faster}/{n} {verdict(faster == n)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", default="10M", help="events to generate: 10M (quick tier), 100M (full)")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--runs", type=int, default=4, help="warm calls per endpoint (rollups server)")
    parser.add_argument("--raw-runs", type=int, help="warm calls per endpoint on the baseline server (default: --runs)")
    parser.add_argument("--only", default="", help="only calls whose name contains this (e.g. system73)")
    parser.add_argument("--keep", action="store_true", help="keep the data dirs (printed)")
    parser.add_argument("--reuse", type=Path, help="measure again on data kept by --keep (no generation)")
    args = parser.parse_args()
    began = time.perf_counter()
    root = args.reuse or Path(tempfile.mkdtemp(prefix="mediastats-scale-"))
    fast_dir, raw_dir = root / "rollups" / "data", root / "raw" / "data"
    try:
        if args.reuse:
            account = orjson.loads((root / "account.json").read_bytes())
        else:
            account = create_account(fast_dir)
            (root / "account.json").write_bytes(orjson.dumps(account))
            generate(fast_dir, account["id"], parse_count(args.events), args.days, args.channels)
            shutil.copytree(fast_dir, raw_dir, symlinks=True, ignore=shutil.ignore_patterns("store.lock"))
        today = datetime.now(UTC).date()
        calls = [c for c in (*vendor_calls(account, today), *dashboard_calls(account, today)) if args.only in c.name]
        raw_runs = args.runs if args.raw_runs is None else args.raw_runs
        outcomes, rss = measure(raw_dir, fast_dir, calls, args.runs, raw_runs)
        print_outcomes(outcomes, args.runs, raw_runs)
        for label, (now_kib, peak_kib) in rss.items():
            console.print(f"server RSS ({label}): VmRSS {now_kib / 2**20:.2f} GiB, peak VmHWM "
                          f"{peak_kib / 2**20:.2f} GiB (target ≤ 1.5 GiB) {verdict(peak_kib <= RSS_TARGET_KIB)}")
    finally:
        if args.keep or args.reuse:
            console.print(f"data dirs kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    console.print(f"total time {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
