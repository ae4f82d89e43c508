"""Amagi request parameters (seed §5): parsed and checked one by one, each error naming its
parameter (422 in the Amagi shape).

``Params`` maps a name to every value it was given, so a query string (``channelId`` repeated)
and a report schedule's stored params read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mediastats.query import Filter, QueryError, TimeRange, zone

Params = Mapping[str, Sequence[str]]

DEFAULT_TIMEZONE = "US/Pacific"
DAY_START, DAY_END = "00:00", "23:00"
# Amagi parameter → Query dimension (CONTRACT §6: the Amagi dimensions).
FILTERS: dict[str, str] = {
    "channelId": "channel_id",
    "city": "city",
    "country": "country",
    "deviceName": "amagi_device_name",
    "deviceType": "amagi_device_type",
    "studioName": "studio",
    "contentId": "content_id",
}
AD_FILTERS: dict[str, str] = {**FILTERS, "adTag": "ad_tag"}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def invalid(param: str, message: str) -> QueryError:
    return QueryError(param, f'"{param}" {message}', status=422)


def params_from(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Params from a plain mapping whose values are strings or lists of strings."""
    out: dict[str, list[str]] = {}
    for name, value in values.items():
        items = value if isinstance(value, list | tuple) else [value]
        out[name] = [str(v) for v in items if v is not None]
    return out


def values(params: Params, name: str) -> tuple[str, ...]:
    """The non-empty values of ``name`` (an empty ``channelId=`` counts as not sent)."""
    return tuple(v.strip() for v in params.get(name, ()) if v.strip())


def one(params: Params, name: str) -> str | None:
    given = values(params, name)
    return given[0] if given else None


def required(params: Params, name: str) -> str:
    value = one(params, name)
    if value is None:
        raise invalid(name, "is required")
    return value


def choice(params: Params, name: str, allowed: Sequence[str], default: str | None = None,
           upper: bool = False) -> str:
    value = one(params, name) or default
    if value is not None and upper:
        value = value.upper()
    if value is None:
        raise invalid(name, "is required")
    if value not in allowed:
        raise invalid(name, f"must be one of [{', '.join(allowed)}]")
    return value


def day(params: Params, name: str) -> date:
    text = required(params, name)
    try:
        if not _DAY.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise invalid(name, "must be a date in YYYY-MM-DD format") from None


def clock_hour(params: Params, name: str, default: str) -> tuple[str, int]:
    """(the value as given, its hour) of an ``HH:MM`` time of day."""
    text = one(params, name) or default
    match = _CLOCK.match(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise invalid(name, "must be a time of day in HH:MM format, 00:00 to 23:59")
    return text, int(match[1])


def positive_int(params: Params, name: str) -> int | None:
    text = one(params, name)
    if text is None:
        return None
    if not text.isdigit() or int(text) < 1:
        raise invalid(name, "must be a positive integer")
    return int(text)


def timezone(params: Params) -> str:
    name = one(params, "timezone") or DEFAULT_TIMEZONE
    zone(name, "timezone")
    return name


def filters(params: Params, allowed: Mapping[str, str] = FILTERS) -> tuple[Filter, ...]:
    """One Filter per Amagi filter parameter sent ("All" when absent, seed §5.1.2)."""
    return tuple(
        Filter(dimension, values(params, name)) for name, dimension in allowed.items() if values(params, name)
    )


@dataclass(frozen=True)
class DateRange:
    """The requested dates and hours, echoed as ``dateRange``; ``time`` is the UTC range."""

    start_date: date
    end_date: date
    interval: str
    start_time: str
    end_time: str
    timezone: str
    time: TimeRange

    def echo(self) -> dict[str, str]:
        return {
            "startDate": self.start_date.isoformat(),
            "endDate": self.end_date.isoformat(),
            "interval": self.interval,
            "startTime": self.start_time,
            "endTime": self.end_time,
        }


def date_range(params: Params, interval: str) -> DateRange:
    """``startDate``..``endDate`` (whole days in ``timezone``); for HOURLY, from ``startTime`` on
    the first day to the end of the ``endTime`` hour on the last (default 00:00–23:00)."""
    start_date, end_date = day(params, "startDate"), day(params, "endDate")
    if end_date < start_date:
        raise invalid("endDate", "must not be before startDate")
    start_time, start_hour = clock_hour(params, "startTime", DAY_START)
    end_time, end_hour = clock_hour(params, "endTime", DAY_END)
    tz_name = timezone(params)
    tz = zone(tz_name)
    if interval != "HOURLY":
        start_hour, end_hour = 0, 23
    start = datetime(start_date.year, start_date.month, start_date.day, start_hour, tzinfo=tz).astimezone(UTC)
    last_hour = datetime(end_date.year, end_date.month, end_date.day, end_hour, tzinfo=tz).astimezone(UTC)
    if interval != "HOURLY":
        next_day = end_date + timedelta(days=1)
        end = datetime(next_day.year, next_day.month, next_day.day, tzinfo=tz).astimezone(UTC)
    else:
        end = last_hour + timedelta(hours=1)
    if end <= start:
        raise invalid("endTime", "must be after startTime")
    return DateRange(start_date, end_date, interval, start_time, end_time, tz_name, TimeRange(start, end))
