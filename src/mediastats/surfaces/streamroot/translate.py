"""Streamroot request bodies → Query (seed "Requests parameters", CONTRACT §4 and §6).

    {"since": "16h"} | {"from": "2020-01-28" | "1584441900000", "to": ...},
    "contentType": "live" | "vod" | "all", "content": <stream_uri>, "platform": <platform>,
    "interval": "10m"   (Ns, Nm, Nh, Nd, Nw; at most 4w)

Dates are whole UTC days (``to`` included), ms timestamps exact (``to`` excluded). ``since`` is a
window W ending now: its points are the W ÷ step buckets aligned to the step, the last one holding
now; its summaries cover those buckets and divide rates by W.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson

from mediastats.query import (
    FIVE_MINUTES,
    TWO_MINUTES,
    Bucket,
    Filter,
    Query,
    QueryError,
    Scope,
    TimeRange,
    grid,
    parse_interval,
)

_DURATION = re.compile(r"^([1-9]\d*)([smhdw])$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MAX_INTERVAL_S = 4 * 604800
CONTENT_TYPES = ("live", "vod", "all")
# Audience counts only viewers running the mesh technology (CONTRACT §4).
MESH_VIEWS = Filter("delivery", ("not_compatible",), negate=True)


@dataclass(frozen=True)
class Params:
    """A parsed body: the range, the timeseries step, the filters, and W for ``since``."""

    time: TimeRange
    interval: Bucket
    filters: tuple[Filter, ...]
    window_s: int | None = None

    @property
    def range_param(self) -> str:
        """The parameter that sets the range, for errors about its length."""
        return "since" if self.window_s else "to"


def body_of(raw: bytes) -> dict[str, Any]:
    """The JSON object of a request body (an empty body is ``{}``)."""
    if not raw.strip():
        return {}
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise QueryError("body", "invalid body param: the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise QueryError("body", "invalid body param: the body must be a JSON object")
    return body


def params_of(body: Mapping[str, Any], now: datetime) -> Params:
    interval = _interval(body.get("interval"))
    filters = _filters(body)
    since, start, end = body.get("since"), body.get("from"), body.get("to")
    if since is not None and (start is not None or end is not None):
        raise QueryError("since", "invalid since param: it cannot be passed in addition to from and to")
    if since is not None:
        window_s = _duration_s(since, "since")
        step = interval or default_interval(window_s)
        return Params(_window(window_s, step, now), step, filters, window_s)
    if start is None and end is None:
        raise QueryError("since", "invalid since param: send since, or from and to")
    if end is None:
        raise QueryError("to", "invalid to param: required when from is present")
    if start is None:
        raise QueryError("from", "invalid from param: required when to is present")
    time = TimeRange(_moment(start, "from", end=False), _moment(end, "to", end=True))
    if time.end <= time.start:
        raise QueryError("to", "invalid to param: it must be after from")
    step = interval or default_interval((time.end - time.start).total_seconds())
    return Params(time, step, filters)


def default_interval(seconds: float) -> Bucket:
    """5m up to 2 days, 1h up to 14 days, else 1d (CONTRACT §6)."""
    if seconds <= 2 * 86400:
        return FIVE_MINUTES
    if seconds <= 14 * 86400:
        return Bucket("hour")
    return Bucket("day")


def _duration_s(value: Any, param: str) -> int:
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None:
        raise QueryError(param, f"invalid {param} param: {value!r}; use N and s, m, h, d or w, e.g. 16h")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def _interval(value: Any) -> Bucket | None:
    if value is None:
        return None
    if _duration_s(value, "interval") > MAX_INTERVAL_S:
        raise QueryError("interval", f"invalid interval param: {value!r} is longer than the maximum of 4w")
    return parse_interval(value)


def _step_ms(step: Bucket) -> int:
    days = {"day": 1, "week": 7}.get(step.unit)
    seconds = step.seconds if step.seconds is not None else 86400 * (days or 0) * step.count
    return seconds * 1000


def _window(window_s: int, step: Bucket, now: datetime) -> TimeRange:
    """From the start of the first of the W ÷ step buckets to now (the last bucket holds now)."""
    points = max(math.ceil(window_s / (_step_ms(step) / 1000)), 1)
    # Events at the very request time belong to it too: the end is just past now.
    end = now.astimezone(UTC) + timedelta(milliseconds=1)
    last = grid(step, TimeRange(now, end), "UTC").starts[0]
    start_ms = last - (points - 1) * _step_ms(step)
    return TimeRange(datetime.fromtimestamp(start_ms / 1000, tz=UTC), end)


# The store holds times up to here (its DateTime columns); later ones name their parameter.
LATEST = datetime(2106, 1, 1, tzinfo=UTC)


def _moment(value: Any, param: str, *, end: bool) -> datetime:
    """A date (the day's start; for ``to`` the next day's) or exact epoch ms, before LATEST."""
    moment = _parse_moment(value, param, end=end)
    if moment > LATEST:
        raise QueryError(param, f"invalid {param} param: {value!r} is after 2105-12-31")
    return moment


def _parse_moment(value: Any, param: str, *, end: bool) -> datetime:
    if isinstance(value, str) and _DAY.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise QueryError(param, f"invalid {param} param: {value!r} is not a date") from None
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return moment + timedelta(days=1) if end and moment < LATEST else moment
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 253402300800000:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    raise QueryError(param, f"invalid {param} param: {value!r} is not YYYY-MM-DD or a Unix time in ms")


def _filters(body: Mapping[str, Any]) -> tuple[Filter, ...]:
    filters: list[Filter] = []
    content_type = body.get("contentType")
    if content_type is not None:
        kind = content_type.lower() if isinstance(content_type, str) else None
        if kind not in CONTENT_TYPES:
            message = f"invalid contentType param: {content_type!r}; use live, vod or all"
            raise QueryError("contentType", message)
        if kind != "all":
            filters.append(Filter("content_type", (kind,)))
    for param, dimension in (("content", "stream_uri"), ("platform", "sr_platform")):
        value = body.get(param)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise QueryError(param, f"invalid {param} param: it must be a string")
        filters.append(Filter(dimension, (value,)))
    return tuple(filters)


# --- the Query of each endpoint ---------------------------------------------------------------

AUDIENCE = ("active_views.max", "active_views.avg", "active_views.p95")
AUDIENCE_SERIES = ("active_views.max",)
TRAFFIC = ("bytes_cdn", "bytes_p2p")
BANDWIDTH_PEAKS = (
    "bandwidth_cdn_bps.max", "bandwidth_p2p_bps.max", "bandwidth_bps.max", "bandwidth_p2p_bps.p95",
)
BANDWIDTH_SERIES = ("bandwidth_p2p_bps", "bandwidth_cdn_bps")
BUFFERING = ("viewing_time_ms", "buffered_ms")


def _query(
    p: Params, scope: Scope, metrics: tuple[str, ...], *, series: bool,
    extra: tuple[Filter, ...] = (), sub_bucket: Bucket | None = None,
) -> Query:
    return Query(
        scope=scope, metrics=metrics, time=p.time, filters=(*p.filters, *extra),
        bucket=p.interval if series else None, sub_bucket=sub_bucket,
        # A now-relative summary's rate divides by W; timeseries points by their own length.
        rate_seconds=None if series else p.window_s,
    )


def _sub_buckets_fit(p: Params, sub_bucket: Bucket) -> None:
    """The core's limit on the number of sub-buckets, reported against the range parameter."""
    grid(sub_bucket, p.time, "UTC", param=p.range_param)


def audience_query(p: Params, scope: Scope, series: bool = False) -> Query:
    """Concurrent mesh viewers over 2-minute buckets: max / average / p95, or max per point."""
    _sub_buckets_fit(p, TWO_MINUTES)
    metrics = AUDIENCE_SERIES if series else AUDIENCE
    return _query(p, scope, metrics, series=series, extra=(MESH_VIEWS,), sub_bucket=TWO_MINUTES)


def traffic_query(p: Params, scope: Scope, series: bool = False) -> Query:
    return _query(p, scope, TRAFFIC, series=series)


def bandwidth_query(p: Params, scope: Scope, series: bool = False) -> Query:
    """Bits/s: per point the mean over it; the summary's ``p2pAverage`` (first metric) is the mean
    over the range's 5-minute buckets (for ``since``: p2p bits over W), then the peaks."""
    if series:
        return _query(p, scope, BANDWIDTH_SERIES, series=True)
    _sub_buckets_fit(p, FIVE_MINUTES)
    average = "bandwidth_p2p_bps" if p.window_s else "bandwidth_p2p_bps.avg"
    return _query(p, scope, (average, *BANDWIDTH_PEAKS), series=False, sub_bucket=FIVE_MINUTES)


def buffering_query(p: Params, scope: Scope, series: bool = False) -> Query:
    return _query(p, scope, BUFFERING, series=series)


def listing_query(p: Params, scope: Scope, dimension: str) -> Query:
    """The distinct values of ``dimension`` among events in the range (all views)."""
    return Query(scope=scope, metrics=(), dimensions=(dimension,), time=p.time, filters=p.filters)
