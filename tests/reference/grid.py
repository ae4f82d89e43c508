"""Bucket grids for the reference model, with zoneinfo: days, weeks (Monday first) and months
follow the zone's calendar; shorter buckets are fixed lengths aligned to multiples of their step
in epoch time (the same as local multiples in whole-hour zones such as US/Pacific). A bucket's
data window is the bucket cut to the requested range; its rate divisor is its full length.
"""

from __future__ import annotations

import bisect
import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

FIXED_SECONDS = {"second": 1, "minute": 60, "hour": 3600}

Window = tuple[int, int, float]  # data from, data to (ms, the bucket cut to the range), rate seconds


def bucket_starts(unit: str, count: int, start: datetime, end: datetime, tz: str) -> list[int]:
    """Starts (epoch ms) of every bucket overlapping [start, end), then the end of the last one."""
    lo, hi = to_ms(start), to_ms(end)
    if unit in FIXED_SECONDS:
        step = FIXED_SECONDS[unit] * count * 1000
        first = lo // step * step
        return [*range(first, hi, step), ((hi - first - 1) // step + 1) * step + first]
    zone = ZoneInfo(tz)
    day = start.astimezone(zone).date()
    if unit == "week":
        day -= timedelta(days=day.weekday())
    elif unit == "month":
        day = day.replace(day=1)
    starts = []
    while True:
        moment = to_ms(datetime(day.year, day.month, day.day, tzinfo=zone))
        starts.append(moment)
        if moment >= hi:
            return starts
        day = _next(day, unit, count)


def _next(day: date, unit: str, count: int) -> date:
    if unit == "day":
        return day + timedelta(days=count)
    if unit == "week":
        return day + timedelta(weeks=count)
    months = day.month - 1 + count
    return date(day.year + months // 12, months % 12 + 1, 1)


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def windows(query: Any, bucket: Any) -> list[tuple[int, Window]]:
    """(bucket start, window) of each bucket, or one (range start, window) without a bucket."""
    lo, hi = to_ms(query.time.start), to_ms(query.time.end)
    if bucket is None:
        return [(lo, (lo, hi, (hi - lo) / 1000))]
    edges = bucket_starts(bucket.unit, bucket.count, query.time.start, query.time.end, query.timezone)
    return [(a, (max(a, lo), min(b, hi), (b - a) / 1000)) for a, b in itertools.pairwise(edges)]


def windows_holding(spans: list[tuple[int, Window]], lows: list[int], first: int, last: int) -> range:
    """Indices of the windows that [first, last] (inclusive) overlaps."""
    lo_index = max(bisect.bisect_right(lows, first) - 1, 0)
    hi_index = bisect.bisect_right(lows, last) - 1
    chosen = [i for i in range(lo_index, hi_index + 1) if spans[i][1][0] <= last and first < spans[i][1][1]]
    return range(chosen[0], chosen[-1] + 1) if chosen else range(0)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, tz: str = "UTC") -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)
