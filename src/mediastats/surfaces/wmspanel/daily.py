"""The WMSPanel day object (CONTRACT §7), built from Queries: what the daily-statistics push
posts and what ``GET /wmspanel/v1/daily_stats`` answers.

One day = one UTC calendar day. Every number comes from the Query core: views, viewing time,
traffic and unique viewers by day; the peak of cdn + p2p bits/s over 5-minute buckets; the
peak of concurrent viewers over 1-minute buckets; views by protocol, by active-span class, by
WMSPanel player and device. This module only renames keys, maps protocol names onto WMSPanel's
seven counters and converts ms to seconds. Days without any data are left out (CONTRACT §4).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mediastats.query import DAY, FIVE_MINUTES, MINUTE, Filter, Query, Result, Scope, TimeRange, run_query
from mediastats.storage.base import Storage

Day = dict[str, Any]

# Peaks over 1-minute sub-buckets are limited by the core's grid size; 60 days stay well below it.
CHUNK_DAYS = 60

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


def _day_queries(scope: Scope, time: TimeRange, filters: tuple[Filter, ...]) -> dict[str, Query]:
    def q(metrics: tuple[str, ...], **kw: Any) -> Query:
        return Query(scope=scope, metrics=metrics, time=time, filters=filters, bucket=DAY, **kw)

    return {
        "totals": q(("views", "viewing_time_ms", "bytes_total", "unique_viewers")),
        "rate": q(("bandwidth_bps.max",), sub_bucket=FIVE_MINUTES),
        "peak": q(("active_views.max",), sub_bucket=MINUTE),
        "protocol": q(("views",), dimensions=("protocol",)),
        "span": q(("views",), dimensions=("span_class",)),
        "players": q(("views",), dimensions=("wms_player",)),
        "devices": q(("views",), dimensions=("wms_device",)),
    }


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


def _fold(days: dict[date, Day], results: dict[str, Result]) -> None:
    """Write every Result row into its day's object (only key renames and unit conversion)."""
    for row in results["totals"].rows:
        day = days[_row_day(row)]
        day["viewers"] = int(row["views"])
        day["total_view_time"] = _half_up(row["viewing_time_ms"] / 1000)
        day["message_out"] = int(row["bytes_total"])
        day["unique_viewers"] = int(row["unique_viewers"])
    for row in results["rate"].rows:
        days[_row_day(row)]["max_message_out_rate"] = _half_up(row["bandwidth_bps.max"])
    for row in results["peak"].rows:
        days[_row_day(row)]["peak_concurrent"] = int(row["active_views.max"])
    for row in results["protocol"].rows:
        key = protocol_counter(str(row["protocol"] or ""))
        if key is not None:
            days[_row_day(row)][key] += int(row["views"])
    for row in results["span"].rows:
        if row["span_class"] in SPAN_KEYS:
            days[_row_day(row)][row["span_class"]] += int(row["views"])
    for kind, column in (("players", "wms_player"), ("devices", "wms_device")):
        for row in results[kind].rows:
            views = int(row["views"])
            if views > 0:
                counts = days[_row_day(row)][kind]
                name = str(row[column] or "Unknown")
                counts[name] = counts.get(name, 0) + views


def has_data(day: Day) -> bool:
    return any(day[k] for k in ("viewers", "total_view_time", "message_out", "peak_concurrent"))


def _chunks(first_day: date, last_day: date) -> list[tuple[date, date]]:
    out = []
    start = first_day
    while start <= last_day:
        end = min(start + timedelta(days=CHUNK_DAYS - 1), last_day)
        out.append((start, end))
        start = end + timedelta(days=1)
    return out


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
    days = {first_day + timedelta(days=i): empty_day(first_day + timedelta(days=i))
            for i in range((last_day - first_day).days + 1)}
    for start, end in _chunks(first_day, last_day):
        time = TimeRange(_midnight(start), _midnight(end + timedelta(days=1)))
        queries = _day_queries(scope, time, tuple(filters))
        answers = await asyncio.gather(*(run_query(storage, q) for q in queries.values()))
        _fold(days, dict(zip(queries, answers, strict=True)))
    return [days[d] for d in sorted(days) if has_data(days[d])]
