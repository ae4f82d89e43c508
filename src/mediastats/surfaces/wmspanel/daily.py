"""The WMSPanel day object (CONTRACT §7), built from Queries: what the daily-statistics push
posts and what ``GET /wmspanel/v1/daily_stats`` answers.

One day = one UTC calendar day. Every number comes from the Query core: views, viewing time,
traffic and unique viewers by day; the peak of cdn + p2p bits/s over 5-minute buckets; the
peak of concurrent viewers over 1-minute buckets; views by protocol, by active-span class, by
WMSPanel player and device (subtotals of one Query by all four). This module only renames keys,
maps protocol names onto WMSPanel's seven counters and converts ms to seconds. Days without any
data are left out (CONTRACT §4).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mediastats.query import (
    DAY,
    FIVE_MINUTES,
    MINUTE,
    Bucket,
    Filter,
    Query,
    Result,
    Scope,
    TimeRange,
    run_query,
    subtotal,
)
from mediastats.storage.base import Storage

Day = dict[str, Any]

# Peaks over 1-minute sub-buckets are limited by the core's grid size; 60 days stay well below it.
CHUNK_DAYS = 60
# Days with data this close together share one peak Query (fewer round trips, few extra buckets).
MERGE_GAP_DAYS = 2

# WMSPanel's per-protocol view counters, and the protocol names (case-insensitive) each counts.
PROTOCOL_COUNTERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("rtmp_viewers", frozenset({"rtmp", "rtmps", "rtmpt", "rtmpe", "rtmpte"})),
    ("cupertino_viewers", frozenset({"hls", "ll-hls", "llhls", "cupertino", "apple hls"})),
    ("smooth_viewers", frozenset({"smooth", "mss", "hss", "smooth streaming", "smoothstreaming"})),
    ("sanjose_viewers", frozenset({"hds", "sanjose", "san jose", "adobe hds"})),
    ("rtsp_viewers", frozenset({"rtsp", "rtsps"})),
    ("pd_viewers", frozenset({"pd", "progressive", "progressive download", "http", "mp4", "icecast"})),
    ("dash_viewers", frozenset({"dash", "mpeg-dash", "ll-dash", "lldash"})),
)
# The day object's view counts by one dimension each: name in _fold → dimension.
BREAKDOWNS = {"protocol": "protocol", "span": "span_class", "players": "wms_player", "devices": "wms_device"}
SPAN_KEYS = ("l5s", "l10s", "l15s", "l20s", "l25s", "l30s", "l5m", "l15m", "l30m", "l1h", "l2h", "l3h", "g3h")
ALWAYS_PLAYERS = ("Unknown", "Flash")
ALWAYS_DEVICES = ("Unknown",)


def protocol_counter(protocol: str) -> str | None:
    """The day-object key that counts views of ``protocol`` (None: not one of WMSPanel's)."""
    name = protocol.strip().lower()
    return next((key for key, names in PROTOCOL_COUNTERS if name in names), None)


def day_iso(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _whole_range_queries(scope: Scope, time: TimeRange, filters: tuple[Filter, ...]) -> dict[str, Query]:
    """Per-day counts, cheap over any range. ``active_views`` per day tells which days have data."""
    def q(metrics: tuple[str, ...], **kw: Any) -> Query:
        return Query(scope=scope, metrics=metrics, time=time, filters=filters, bucket=DAY, **kw)

    return {
        "totals": q(("views", "viewing_time_ms", "bytes_total", "unique_viewers", "active_views")),
        # One read for the four breakdowns; each is a subtotal of it (_breakdowns).
        "views": q(("views",), dimensions=tuple(BREAKDOWNS.values()), fill=False),
    }


def _breakdowns(results: dict[str, Result]) -> dict[str, Result]:
    """Views per day by protocol, span class, player and device, from the one Query by all four."""
    return {name: subtotal(results["views"], dimension) for name, dimension in BREAKDOWNS.items()}


def _peak_queries(scope: Scope, time: TimeRange, filters: tuple[Filter, ...]) -> dict[str, Query]:
    """Peaks over 5-minute and 1-minute sub-buckets: run only over days that have data."""
    def q(metric: str, sub: Bucket) -> Query:
        return Query(scope=scope, metrics=(metric,), time=time, filters=filters, bucket=DAY, sub_bucket=sub)

    return {"rate": q("bandwidth_bps.max", FIVE_MINUTES), "peak": q("active_views.max", MINUTE)}


def empty_day(day: date) -> Day:
    out: Day = {
        "date": day_iso(day),
        "viewers": 0,
        "total_view_time": 0,
        "message_out": 0,
        "max_message_out_rate": 0,
    }
    out.update({key: 0 for key, _ in PROTOCOL_COUNTERS})
    out.update({"message_in": 0, "message_lost": 0, "max_message_in_rate": 0})
    out.update({key: 0 for key in SPAN_KEYS})
    out.update({
        "unique_viewers": 0,
        "peak_concurrent": 0,
        "players": dict.fromkeys(ALWAYS_PLAYERS, 0),
        "devices": dict.fromkeys(ALWAYS_DEVICES, 0),
    })
    return out


def _row_day(row: dict[str, Any]) -> date:
    moment: datetime = row["bucket"]
    return moment.astimezone(UTC).date()


def _half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _rows(days: dict[date, Day], results: dict[str, Result], name: str) -> Iterator[tuple[Day, dict[str, Any]]]:
    """(day object, row) for the rows of ``results[name]`` that fall on a day being built."""
    result = results.get(name)
    for row in result.rows if result is not None else ():
        day = days.get(_row_day(row))
        if day is not None:
            yield day, row


def _fold(days: dict[date, Day], results: dict[str, Result]) -> None:
    """Write every Result row into its day's object (only key renames and unit conversion)."""
    for day, row in _rows(days, results, "totals"):
        day["viewers"] = int(row["views"])
        day["total_view_time"] = _half_up(row["viewing_time_ms"] / 1000)
        day["message_out"] = int(row["bytes_total"])
        day["unique_viewers"] = int(row["unique_viewers"])
    for day, row in _rows(days, results, "rate"):
        day["max_message_out_rate"] = _half_up(row["bandwidth_bps.max"])
    for day, row in _rows(days, results, "peak"):
        day["peak_concurrent"] = int(row["active_views.max"])
    for day, row in _rows(days, results, "protocol"):
        key = protocol_counter(str(row["protocol"] or ""))
        if key is not None:
            day[key] += int(row["views"])
    for day, row in _rows(days, results, "span"):
        if row["span_class"] in SPAN_KEYS:
            day[row["span_class"]] += int(row["views"])
    for kind, column in (("players", "wms_player"), ("devices", "wms_device")):
        for day, row in _rows(days, results, kind):
            if int(row["views"]) > 0:
                name = str(row[column] or "Unknown")
                day[kind][name] = day[kind].get(name, 0) + int(row["views"])


def data_days(totals: Result) -> set[date]:
    """Days with a view started, time played, bytes delivered or a view active."""
    keys = ("views", "viewing_time_ms", "bytes_total", "active_views")
    return {_row_day(row) for row in totals.rows if any(row[k] for k in keys)}


def _runs(days: set[date]) -> list[tuple[date, date]]:
    """Consecutive days (gaps up to MERGE_GAP_DAYS bridged), each run at most CHUNK_DAYS long."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs:
            start, end = runs[-1]
            if (day - end).days <= MERGE_GAP_DAYS + 1 and (day - start).days < CHUNK_DAYS:
                runs[-1] = (start, day)
                continue
        runs.append((day, day))
    return runs


def _range(start: date, end: date) -> TimeRange:
    return TimeRange(_midnight(start), _midnight(end + timedelta(days=1)))


async def _run_all(storage: Storage, queries: dict[str, Query]) -> dict[str, Result]:
    answers = await asyncio.gather(*(run_query(storage, q) for q in queries.values()))
    return dict(zip(queries, answers, strict=True))


async def daily_stats_days(
    storage: Storage,
    scope: Scope,
    first_day: date,
    last_day: date,
    filters: Sequence[Filter] = (),
) -> list[Day]:
    """The day objects of ``first_day`` … ``last_day`` (UTC, inclusive), oldest first, days
    without data left out. ``filters`` narrow them further (e.g. ``server_id``)."""
    if last_day < first_day:
        return []
    flt = tuple(filters)
    counts = await _run_all(storage, _whole_range_queries(scope, _range(first_day, last_day), flt))
    counts.update(_breakdowns(counts))
    with_data = data_days(counts["totals"])
    days = {d: empty_day(d) for d in with_data}
    _fold(days, counts)
    for start, end in _runs(with_data):
        _fold(days, await _run_all(storage, _peak_queries(scope, _range(start, end), flt)))
    return [days[d] for d in sorted(days)]
