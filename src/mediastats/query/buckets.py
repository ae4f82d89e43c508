"""Time buckets: the grid of a range (computed here, in Python, so empty buckets can be filled),
and the SQL that maps a millisecond timestamp to its bucket's index on that grid.

Units below a day are fixed lengths, aligned to multiples of the step in local time (which for
whole-hour zones is epoch alignment). Days, weeks (Monday first) and months follow the zone's
calendar, so a DST day has 23 or 25 hours. The SQL uses only functions that also run on
ClickHouse 18.16 (``intDiv``, ``toRelativeDayNum/WeekNum/MonthNum``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mediastats.query.errors import QueryError
from mediastats.query.query import Bucket, TimeRange

MAX_BUCKETS = 100_000


def zone(name: str, param: str = "timezone") -> ZoneInfo:
    try:
        return ZoneInfo(name)
    # OSError: a name too long for a file name, or otherwise unreadable as one (found by fuzzing)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise QueryError(param, f"unknown timezone {name!r}; use an IANA name such as UTC or US/Pacific") from None


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass(frozen=True)
class Grid:
    """Bucket starts (epoch ms) over a range, the end of the last bucket, and how to index."""

    bucket: Bucket
    timezone: str
    starts: tuple[int, ...]
    end: int

    def __len__(self) -> int:
        return len(self.starts)

    def bounds(self, index: int) -> tuple[int, int]:
        stop = self.starts[index + 1] if index + 1 < len(self.starts) else self.end
        return self.starts[index], stop

    def seconds(self, index: int) -> float:
        start, stop = self.bounds(index)
        return (stop - start) / 1000

    def index_of(self, ms: int) -> int:
        """Index of the bucket holding ``ms`` (clamped to the grid)."""
        return max(0, min(bisect.bisect_right(self.starts, ms) - 1, len(self.starts) - 1))

    def index_sql(self, column_ms: str) -> tuple[str, dict[str, Any]]:
        """SQL for the bucket index of a ms column, and its parameters."""
        step = self.bucket.seconds
        if step is not None:
            return (
                f"intDiv({column_ms} - {{grid_origin:Int64}}, {{grid_step:Int64}})",
                {"grid_origin": self.starts[0], "grid_step": step * 1000},
            )
        fn = {"day": "toRelativeDayNum", "week": "toRelativeWeekNum", "month": "toRelativeMonthNum"}[
            self.bucket.unit
        ]
        moment = f"toDateTime(intDiv({column_ms}, 1000))"
        origin = "toDateTime({grid_origin_s:UInt32})"
        return (
            f"intDiv(toInt64({fn}({moment}, {{grid_tz:String}})) - toInt64({fn}({origin}, {{grid_tz:String}})), "
            f"{{grid_count:Int64}})",
            {"grid_origin_s": self.starts[0] // 1000, "grid_tz": self.timezone, "grid_count": self.bucket.count},
        )


def grid(bucket: Bucket, time: TimeRange, timezone: str, param: str = "interval") -> Grid:
    """Every bucket that overlaps ``time``, the first one starting at or before its start."""
    tz = zone(timezone)
    start_ms, end_ms = to_ms(time.start), to_ms(time.end)
    step = bucket.seconds
    if step is not None:
        step_ms = step * 1000
        offset_ms = int(time.start.astimezone(tz).utcoffset().total_seconds() * 1000)  # type: ignore[union-attr]
        first = (start_ms + offset_ms) // step_ms * step_ms - offset_ms
        # Counted from the first bucket's start: an unaligned range has one bucket more.
        if (end_ms - first) / step_ms > MAX_BUCKETS:
            raise _too_many(param, bucket)
        starts = tuple(range(first, end_ms, step_ms)) or (first,)
        return Grid(bucket, timezone, starts, starts[-1] + step_ms)
    local = time.start.astimezone(tz)
    day = _calendar_floor(local.date(), bucket)
    starts_list: list[int] = []
    while True:
        moment = to_ms(datetime(day.year, day.month, day.day, tzinfo=tz))
        if starts_list and moment >= end_ms:
            return Grid(bucket, timezone, tuple(starts_list), moment)
        starts_list.append(moment)
        if len(starts_list) > MAX_BUCKETS:
            raise _too_many(param, bucket)
        day = _calendar_next(day, bucket)


def _calendar_floor(day: date, bucket: Bucket) -> date:
    if bucket.unit == "week":
        return day - timedelta(days=day.weekday())
    if bucket.unit == "month":
        return day.replace(day=1)
    return day


def _calendar_next(day: date, bucket: Bucket) -> date:
    if bucket.unit == "day":
        return day + timedelta(days=bucket.count)
    if bucket.unit == "week":
        return day + timedelta(weeks=bucket.count)
    months = day.month - 1 + bucket.count
    return date(day.year + months // 12, months % 12 + 1, 1)


def _too_many(param: str, bucket: Bucket) -> QueryError:
    return QueryError(param, f"{bucket.label()} buckets over this range would be more than {MAX_BUCKETS} points")


def utc_from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def parse_interval(text: str, param: str = "interval") -> Bucket:
    """``minute``/``hour``/``day``/``week``/``month`` or ``Ns``, ``Nm``, ``Nh``, ``Nd``, ``Nw``, ``NM``."""
    named = {"minute": Bucket("minute"), "hour": Bucket("hour"), "day": Bucket("day"),
             "week": Bucket("week"), "month": Bucket("month")}
    if text in named:
        return named[text]
    units = {"s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week", "M": "month"}
    number, unit = text[:-1], text[-1:]
    if unit not in units or not number.isdigit() or int(number) <= 0:
        raise QueryError(
            param, f"interval {text!r} is not one of minute, hour, day, week, month or N followed by s, m, h, d, w"
        )
    count = int(number)
    if unit == "s" and count % 60 == 0:
        return Bucket("minute", count // 60)
    return Bucket(units[unit], count)  # type: ignore[arg-type]
