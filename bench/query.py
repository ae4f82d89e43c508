"""Query-core latency on generated data, against hand-written SQL over the raw events table.

    .venv/bin/python bench/query.py                 # 10 M events over 30 days
    .venv/bin/python bench/query.py --events 1M     # quicker

For each query of a fixed set (daily views by player, hourly uniques, per-minute concurrency for a
day, the 5-minute bandwidth p95 of a week) it prints the median and p95 latency of the Query core
(planner SQL over the sessions rollup and events), of the raw SQL written by hand for the same
answer, their ratio, and checks both give the same numbers.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import datagen
from mediastats.query import (
    DAY,
    HOUR,
    MINUTE,
    Query,
    Scope,
    TimeRange,
    run_sync,
)
from mediastats.storage.chdb_backend import ChdbStorage

ACCOUNT = "bench"
END = datetime(2026, 11, 1, tzinfo=UTC)


def parse_count(text: str) -> int:
    text = text.upper().replace("_", "")
    scale = {"K": 1_000, "M": 1_000_000}.get(text[-1], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    fn()  # warm
    times, answer = [], None
    for _ in range(runs):
        began = time.perf_counter()
        answer = fn()
        times.append((time.perf_counter() - began) * 1000)
    return times, answer


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)), 1) - 1]


def cases(storage: ChdbStorage, days: int) -> list[tuple[str, Callable[[], Any], Callable[[], Any]]]:
    scope = Scope(ACCOUNT)
    month = TimeRange(END - timedelta(days=days), END)
    week = TimeRange(END - timedelta(days=7), END)
    one_day = TimeRange(END - timedelta(days=1), END)
    ms = lambda d: int(d.timestamp() * 1000)  # noqa: E731
    acc = {"a": ACCOUNT}

    def core_daily_player() -> Any:
        r = run_sync(storage, Query(scope, ("views",), month, dimensions=("wms_player",), bucket=DAY, fill=False))
        return sorted((row["bucket_ms"], row["wms_player"], row["views"]) for row in r.rows if row["views"])

    def raw_daily_player() -> Any:
        r = storage.query(
            "SELECT toUInt64(toUnixTimestamp(toStartOfDay(toDateTime(intDiv(f, 1000)), 'UTC'))) * 1000 AS d, p, count() "
            "FROM (SELECT session_id, min(ts_ms) AS f, argMin(wms_player, ts_ms) AS p FROM {db}.events "
            "WHERE account_id = {a:String} GROUP BY session_id HAVING f >= {t0:Int64} AND f < {t1:Int64}) "
            "GROUP BY d, p", {**acc, "t0": ms(month.start), "t1": ms(month.end)})
        return sorted(tuple(x) for x in r.rows)

    def core_hourly_uniques() -> Any:
        r = run_sync(storage, Query(scope, ("unique_viewers",), week, bucket=HOUR))
        return [row["unique_viewers"] for row in r.rows]

    def raw_hourly_uniques() -> Any:
        r = storage.query(
            "SELECT intDiv(f - {t0:Int64}, 3600000) AS b, uniqExact(v) FROM (SELECT session_id, min(ts_ms) AS f, "
            "argMin(viewer, ts_ms) AS v FROM {db}.events WHERE account_id = {a:String} GROUP BY session_id "
            "HAVING f >= {t0:Int64} AND f < {t1:Int64}) GROUP BY b ORDER BY b",
            {**acc, "t0": ms(week.start), "t1": ms(week.end)})
        out = [0] * (7 * 24)
        for b, n in r.rows:
            out[int(b)] = n
        return out

    def core_minute_concurrency() -> Any:
        r = run_sync(storage, Query(scope, ("active_views",), one_day, bucket=MINUTE))
        return [row["active_views"] for row in r.rows]

    def raw_minute_concurrency() -> Any:
        r = storage.query(
            "SELECT b, count() FROM (SELECT session_id, min(ts_ms) AS f, max(ts_ms) AS l FROM {db}.events "
            "WHERE account_id = {a:String} GROUP BY session_id HAVING f < {t1:Int64} AND l >= {t0:Int64}) "
            "ARRAY JOIN arrayMap(i -> toInt64(i) + greatest(intDiv(f - {t0:Int64}, 60000), 0), "
            "range(toUInt64(least(intDiv(l - {t0:Int64}, 60000), 1439) - greatest(intDiv(f - {t0:Int64}, 60000), 0) + 1))) "
            "AS b GROUP BY b ORDER BY b",
            {**acc, "t0": ms(one_day.start), "t1": ms(one_day.end)})
        out = [0] * 1440
        for b, n in r.rows:
            out[int(b)] = n
        return out

    def core_bandwidth_p95() -> Any:
        r = run_sync(storage, Query(scope, ("bandwidth_bps.p95",), week))
        return round(r.first()["bandwidth_bps.p95"], 3)

    def raw_bandwidth_p95() -> Any:
        r = storage.query(
            "SELECT intDiv(ts_ms - {t0:Int64}, 300000) AS b, sum(bytes_cdn + bytes_p2p) FROM {db}.events "
            "WHERE account_id = {a:String} AND ts_ms >= {t0:Int64} AND ts_ms < {t1:Int64} GROUP BY b",
            {**acc, "t0": ms(week.start), "t1": ms(week.end)})
        per = [0.0] * (7 * 288)
        for b, total in r.rows:
            per[int(b)] = total * 8 / 300
        return round(p95(per), 3)

    return [
        ("daily views by player, 30 d", core_daily_player, raw_daily_player),
        ("hourly unique viewers, 7 d", core_hourly_uniques, raw_hourly_uniques),
        ("per-minute concurrency, 1 d", core_minute_concurrency, raw_minute_concurrency),
        ("5-min bandwidth p95, 7 d", core_bandwidth_p95, raw_bandwidth_p95),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", default="10M", help="events to generate (e.g. 1M, 10M)")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data-dir", type=Path, help="reuse a generated data dir")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="mediastats-bench-"))
    fresh = not (data_dir / "chdb").exists()
    storage = ChdbStorage(data_dir)
    storage.migrate()
    events = parse_count(args.events)
    if fresh:
        print(f"generating {events:,} events over {args.days} days in {data_dir}")
        datagen.insert(storage, ACCOUNT, events=events, days=args.days, channels=20, end_ms=int(END.timestamp() * 1000))
    stored = storage.query("SELECT count() FROM {db}.events").scalar()
    print(f"{stored:,} events stored\n")
    print(f"{'query':32} {'core p50':>9} {'core p95':>9} {'raw p50':>9} {'raw/core':>9}  same answer")
    for name, core, raw in cases(storage, args.days):
        core_times, core_answer = timed(core, args.runs)
        raw_times, raw_answer = timed(raw, max(3, args.runs // 2))
        core_p50, raw_p50 = statistics.median(core_times), statistics.median(raw_times)
        print(f"{name:32} {core_p50:8.1f}ms {p95(core_times):8.1f}ms {raw_p50:8.1f}ms {raw_p50 / core_p50:8.2f}x  "
              f"{'yes' if core_answer == raw_answer else 'NO'}")
    storage.close()


if __name__ == "__main__":
    main()
