"""Latency of the vendor endpoints over real HTTP on generated data.

    .venv/bin/python bench/endpoints.py --events 10M     # the issue's tier
    .venv/bin/python bench/endpoints.py --events 1M      # quick

Creates an account on a ``mediastats serve`` subprocess, stops it, bulk-loads ``--events`` events
over ``--days`` days for that account (bench/datagen.py), restarts the server and measures p50/p95
of: WMSPanel ``players_stats`` for a year (cold = first call, then cached), System73 endpoints on
``time=24h`` and ``time=1M``, Streamroot endpoints over a 4-week range. "Now" is the real clock,
so data is generated to end now.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers import ServeProcess

from bench import datagen
from bench.query import parse_count


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)), 1) - 1]


def measure(client: httpx.Client, method: str, url: str, runs: int, **kw: object) -> tuple[float, float, float]:
    """(first call ms, p50 ms, p95 ms) of the following ``runs`` calls."""
    times = []
    for i in range(runs + 1):
        began = time.perf_counter()
        r = client.request(method, url, **kw)  # type: ignore[arg-type]
        elapsed = (time.perf_counter() - began) * 1000
        if r.status_code != 200:
            raise SystemExit(f"{method} {url}: {r.status_code} {r.text[:300]}")
        if i:
            times.append(elapsed)
        else:
            first = elapsed
    return first, statistics.median(times), p95(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", default="10M")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="mediastats-endpoints-"))
    serve = ServeProcess(data_dir).start()
    with serve.admin() as admin:
        acct = admin.post("/admin/v1/accounts", json={"name": "bench"}).json()
    serve.kill()
    from mediastats.storage.chdb_backend import ChdbStorage

    storage = ChdbStorage(data_dir)
    storage.migrate()
    now = datetime.now(UTC)
    events = parse_count(args.events)
    print(f"loading {events:,} events over {args.days} days")
    datagen.insert(storage, acct["id"], events=events, days=args.days, channels=20,
                   end_ms=int(now.timestamp() * 1000))
    storage.close()
    serve.start()
    year_ago = (now - timedelta(days=365)).strftime("%Y-%m-%d")
    yesterday = (now - timedelta(days=1)).strftime("%Y-%m-%d")
    wms = {"client_id": acct["client_id"], "api_key": acct["api_key"], "from": year_ago, "to": yesterday}
    s73 = {"Authorization": acct["api_key"]}
    sr = {"Authorization": f"API-Key {acct['api_key']}"}
    sr_body = {"since": "4w"}
    rows: list[tuple[str, tuple[float, float, float]]] = []
    with httpx.Client(base_url=serve.url, timeout=300) as c:
        rows.append(("wmspanel players_stats 1 year", measure(c, "GET", "/wmspanel/v1/players_stats", args.runs,
                                                               params=wms)))
        rows.append(("wmspanel devices_stats 1 year", measure(c, "GET", "/wmspanel/v1/devices_stats", args.runs,
                                                               params=wms)))
        for window in ("24h", "1M"):
            for path in ("/system73/summary", "/system73/stats/throughput/agg", "/system73/stats/os",
                         "/system73/stats/rebuffering/ratio", "/system73/stats/buffer_health/avg"):
                source = "&source=cdn" if "throughput" in path or "buffer_health" in path else ""
                rows.append((f"system73 {path[10:]} {window}",
                             measure(c, "GET", f"{path}?time={window}{source}", args.runs, headers=s73)))
        base = f"/streamroot/v3/customers/{acct['id']}/dna/data"
        for name in ("audience", "audience/timeseries", "traffic", "traffic/timeseries", "bandwidth",
                     "bandwidth/timeseries", "buffering", "buffering/timeseries", "platforms", "streams"):
            rows.append((f"streamroot {name} 4w", measure(c, "POST", f"{base}/{name}", args.runs, headers=sr,
                                                         json=sr_body)))
    serve.kill()
    print(f"\n{'endpoint':44} {'first':>9} {'p50':>9} {'p95':>9}")
    for name, (first, p50, p95_) in rows:
        print(f"{name:44} {first:8.1f}ms {p50:8.1f}ms {p95_:8.1f}ms")


if __name__ == "__main__":
    main()
