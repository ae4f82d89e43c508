"""By-time queries with the rollups on and off: same data, same run, same Query core.

    .venv/bin/python bench/rollups.py                  # 5 M events over 30 days
    .venv/bin/python bench/rollups.py --events 1M      # quicker
    .venv/bin/python bench/rollups.py --data-dir DIR   # reuse generated data

The queries are the by-time shapes the vendor endpoints and the dashboard ask (sums bucketed by
minute and coarser, grouped or filtered by channel and device dimensions, bandwidth peaks over
5-minute sub-buckets, listings, a now-relative window that ends mid-minute). For each it prints
the median and p95 latency with ``storage.rollups`` on and off, their ratio, and whether both
give the same numbers.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import datagen
from bench.query import p95, parse_count
from mediastats.query import DAY, FIVE_MINUTES, HOUR, MINUTE, Filter, Query, Scope, TimeRange, run_sync
from mediastats.storage.chdb_backend import ChdbStorage

ACCOUNT = "bench"
END = datetime(2026, 11, 1, tzinfo=UTC)


def queries(days: int) -> list[tuple[str, Query]]:
    scope = Scope(ACCOUNT)
    month = TimeRange(END - timedelta(days=days), END)
    week = TimeRange(END - timedelta(days=7), END)
    day = TimeRange(END - timedelta(days=1), END)
    # A now-relative window: 24 h of 5-minute points ending 17.3 s into a minute.
    now = END - timedelta(hours=3, seconds=-17.3)
    window = TimeRange(now.replace(minute=now.minute // 5 * 5, second=0, microsecond=0) - timedelta(hours=24), now)
    news = (Filter("channel_id", ("ch3",)),)
    return [
        ("viewing time + traffic by hour, 30 d", Query(scope, ("viewing_time_ms", "bytes_cdn", "bytes_p2p"), month,
                                                      bucket=HOUR)),
        ("traffic by channel by 5 min, 7 d", Query(scope, ("bytes_total",), week, bucket=FIVE_MINUTES,
                                                  dimensions=("channel_id",))),
        ("bandwidth max + p95 (5-min sub), 7 d", Query(scope, ("bandwidth_bps.max", "bandwidth_bps.p95"), week)),
        ("bandwidth p95 by day (5-min sub), 30 d", Query(scope, ("bandwidth_p2p_bps.p95",), month, bucket=DAY)),
        ("rebuffering ratio by day by s73_os, 30 d", Query(scope, ("rebuffering_ratio",), month, bucket=DAY,
                                                          dimensions=("s73_os",))),
        ("avg buffer by minute, one channel, 1 d", Query(scope, ("avg_buffer_ms",), day, bucket=MINUTE,
                                                        filters=news)),
        ("throughput 24 h window ending mid-minute", Query(scope, ("bandwidth_cdn_bps",), window,
                                                          bucket=FIVE_MINUTES)),
        ("viewing time by day by platform, Pacific", Query(scope, ("viewing_time_ms",), month, bucket=DAY,
                                                          timezone="US/Pacific", dimensions=("sr_platform",))),
        ("listing stream_uri, 30 d", Query(scope, (), month, dimensions=("stream_uri",))),
        ("totals by channel, 30 d", Query(scope, ("viewing_time_ms", "buffered_ms", "bytes_total"), month,
                                         dimensions=("channel_id",))),
        # Concurrency reads the sessions rollup either way (a control: the flag must not matter).
        ("peak concurrent by day (1-min sub), 7 d", Query(scope, ("active_views.max",), week, bucket=DAY)),
    ]


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    fn()  # warm
    times, answer = [], None
    for _ in range(runs):
        began = time.perf_counter()
        answer = fn()
        times.append((time.perf_counter() - began) * 1000)
    return times, answer


def same(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        for key in x.keys() | y.keys():
            u, v = x.get(key), y.get(key)
            if isinstance(u, float) or isinstance(v, float):
                if not math.isclose(float(u or 0), float(v or 0), rel_tol=1e-9, abs_tol=1e-6):
                    return False
            elif u != v:
                return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", default="5M", help="events to generate (e.g. 1M, 5M)")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, help="reuse a generated data dir")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="mediastats-rollups-"))
    fresh = not (data_dir / "chdb").exists()
    storage = ChdbStorage(data_dir)
    storage.migrate()
    if fresh:
        events = parse_count(args.events)
        print(f"generating {events:,} events over {args.days} days in {data_dir}")
        datagen.insert(storage, ACCOUNT, events=events, days=args.days, channels=20, end_ms=int(END.timestamp() * 1000))
    count = "SELECT count() FROM {db}.events"
    print(f"{storage.query(count).scalar():,} events stored; rollup rows: " + ", ".join(
        f"{t} {storage.query(f'SELECT count() FROM {{db}}.{t}').scalar():,}"
        for t in ("rollup_streams_5m", "rollup_streams_1h", "rollup_devices_1h")) + "\n")
    print(f"{'query':42} {'on p50':>9} {'on p95':>9} {'off p50':>9} {'off p95':>9} {'off/on':>7}  same")
    for name, query in queries(args.days):
        answers = {}
        stats = {}
        for flag in (True, False):
            storage.rollups = flag
            times, result = timed(lambda q=query: run_sync(storage, replace(q)), args.runs)
            answers[flag], stats[flag] = result.rows, (statistics.median(times), p95(times))
        (on50, on95), (off50, off95) = stats[True], stats[False]
        print(f"{name:42} {on50:7.1f}ms {on95:7.1f}ms {off50:7.1f}ms {off95:7.1f}ms {off50 / on50:6.1f}x  "
              f"{'yes' if same(answers[True], answers[False]) else 'NO'}")
    storage.close()


if __name__ == "__main__":
    main()
