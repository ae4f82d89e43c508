"""The native query body (in the spirit of Plausible's Stats API v2) → Query.

    {"metrics": ["views", "active_views.max"], "dimensions": ["channel_id"],
     "filters": [["is", "channel_id", ["news"]], ["is_not", "delivery", ["not_compatible"]]],
     "date_range": ["2026-11-01", "2026-11-07"] | ["2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"],
     "since": "24h", "interval": "hour", "sub_interval": "2m", "timezone": "US/Pacific",
     "source": "p2p", "order_by": [["views", "desc"]], "limit": 100, "page": 1}

Dates name whole local days (the end day included); datetimes are exact (end excluded).
``since`` is a window ending now, its buckets aligned to the interval.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import msgspec

from mediastats.query import (
    Bucket,
    Filter,
    Query,
    QueryError,
    Scope,
    TimeRange,
    parse_interval,
    zone,
)

MAX_LIMIT = 10_000
_SINCE = re.compile(r"^(\d+)([smhdw])$")
_SINCE_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class QueryBody(msgspec.Struct, forbid_unknown_fields=True):
    metrics: list[str] = []
    dimensions: list[str] = []
    filters: list[list[Any]] = []
    date_range: list[str] | None = None
    since: str | None = None
    interval: str | None = None
    sub_interval: str | None = None
    timezone: str = "UTC"
    source: str | None = None
    order_by: list[list[str]] = []
    limit: int | None = None
    page: int = 1


def decode_body(raw: bytes) -> QueryBody:
    try:
        return msgspec.json.decode(raw or b"{}", type=QueryBody)
    except msgspec.ValidationError as exc:
        text = str(exc)
        field = text.rpartition("$.")[2].rstrip("`").split("[")[0] if "$." in text else None
        if text.startswith("Object contains unknown field"):
            field = text.split("`")[1]
        raise QueryError(field, f"{field or 'body'}: {text}") from None
    except msgspec.DecodeError as exc:
        raise QueryError("body", f"body is not JSON: {exc}") from None


def body_to_query(body: QueryBody, scope: Scope, now: datetime) -> Query:
    if not body.metrics and not body.dimensions:
        raise QueryError("metrics", "ask for at least one metric (or a dimension, for a listing)")
    zone(body.timezone)
    bucket = parse_interval(body.interval) if body.interval else None
    time_range = _time_range(body, now, bucket)
    source = body.source
    if source not in (None, "cdn", "p2p", "not_compatible"):
        raise QueryError("source", "source must be cdn, p2p or not_compatible")
    if body.limit is not None and not 0 <= body.limit <= MAX_LIMIT:
        raise QueryError("limit", f"limit must be between 0 and {MAX_LIMIT}")
    if not 1 <= body.page <= 1_000_000:  # bounded: a huge page number overflowed the answer (500)
        raise QueryError("page", "page must be between 1 and 1000000")
    limit = body.limit
    return Query(
        scope=scope,
        metrics=tuple(body.metrics),
        dimensions=tuple(body.dimensions),
        filters=tuple(_filter(f) for f in body.filters),
        time=time_range,
        bucket=bucket,
        timezone=body.timezone,
        sub_bucket=parse_interval(body.sub_interval, "sub_interval") if body.sub_interval else None,
        source=source,  # type: ignore[arg-type]
        order_by=tuple(_order(o) for o in body.order_by),
        limit=limit,
        offset=(body.page - 1) * limit if limit else 0,
    )


def _time_range(body: QueryBody, now: datetime, bucket: Bucket | None) -> TimeRange:
    if body.since and body.date_range:
        raise QueryError("since", "give either since or date_range, not both")
    if body.since:
        match = _SINCE.match(body.since)
        if not match:
            raise QueryError("since", "since must look like 90s, 15m, 24h, 7d or 4w")
        window = timedelta(seconds=int(match[1]) * _SINCE_SECONDS[match[2]])
        step = bucket.seconds if bucket else None
        start = now - window
        if step:
            # W / step points, the last one the bucket that holds now.
            epoch = int(now.timestamp()) // step * step
            start = datetime.fromtimestamp(epoch - (int(window.total_seconds()) // step - 1) * step, tz=now.tzinfo)
        return TimeRange(start, now + timedelta(milliseconds=1))
    if not body.date_range or len(body.date_range) != 2:
        raise QueryError("date_range", "date_range must be [start, end] (dates or RFC 3339 times), or use since")
    tz = zone(body.timezone)
    first, last = (_moment(v, tz, end=i == 1) for i, v in enumerate(body.date_range))
    if last <= first:
        raise QueryError("date_range", "date_range must end after it starts")
    return TimeRange(first, last)


def _moment(value: str, tz: Any, *, end: bool) -> datetime:
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if end:
                day += timedelta(days=1)
            return datetime.combine(day, time(), tzinfo=tz)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise QueryError("date_range", f"{value!r} is not a date (YYYY-MM-DD) or RFC 3339 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _filter(raw: list[Any]) -> Filter:
    if len(raw) != 3 or raw[0] not in ("is", "is_not") or not isinstance(raw[1], str):
        raise QueryError("filters", 'each filter is ["is" | "is_not", dimension, [values]]')
    values = raw[2] if isinstance(raw[2], list) else [raw[2]]
    return Filter(raw[1], tuple(str(v) for v in values), negate=raw[0] == "is_not")


def _order(raw: list[str]) -> tuple[str, Any]:
    if len(raw) != 2 or raw[1] not in ("asc", "desc"):
        raise QueryError("order_by", 'each order is [name, "asc" | "desc"]')
    return raw[0], raw[1]
