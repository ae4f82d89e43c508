"""WMSPanel request parameters → a Query (or a 400/403 that names what is wrong).

Syntax first (``stats_request``: dates, server, stream), then the account (``wms_scope``: the
data slice), then the Query. Days are whole UTC days, ``from`` and ``to`` inclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from starlette.datastructures import QueryParams

from mediastats.meta.accounts import Access, AccountStore
from mediastats.query import DAY, Filter, Query, QueryError, Scope, TimeRange
from mediastats.surfaces.errors import AccessError

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The store keeps seconds since 1970 in 32 bits; the Query core accepts ranges within
# 1970-01-01 … 2106-01-01 (query/run.py), so requested days are clipped to these.
FIRST_STORED_DAY = date(1970, 1, 1)
LAST_STORED_DAY = date(2105, 12, 31)
# "server" + "stream" ask for real-time stats: the views active in this many last seconds.
LIVE_WINDOW = timedelta(seconds=60)
ALL_TIME_START = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class StatsRequest:
    """The parameters of a players/devices/daily stats call, checked."""

    first: date | None
    last: date | None
    server: str | None = None
    stream: str | None = None
    # Real-time stats of one stream on one server (the vendor's server + stream).
    live: bool = False

    def cache_params(self) -> tuple[str | None, ...]:
        return (str(self.first), str(self.last), self.server, self.stream, str(self.live))


def required_day(params: QueryParams, name: str) -> date:
    raw = params.get(name)
    if raw is None or not raw.strip():
        raise QueryError(name, f"{name} is required: a date as YYYY-MM-DD, e.g. 2014-08-01")
    raw = raw.strip()
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise QueryError(name, f"{name}: {raw!r} is not a date as YYYY-MM-DD, e.g. 2014-08-01") from None


def _optional(params: QueryParams, name: str) -> str | None:
    value = (params.get(name) or "").strip()
    return value or None


def stats_request(params: QueryParams, *, live_allowed: bool = True) -> StatsRequest:
    """``from``/``to`` (required, except for live server + stream stats), ``server``, ``stream``."""
    server, stream = _optional(params, "server"), _optional(params, "stream")
    live = live_allowed and bool(server and stream)
    if live and params.get("from") is None and params.get("to") is None:
        return StatsRequest(None, None, server, stream, live=True)
    first, last = required_day(params, "from"), required_day(params, "to")
    if first > last:
        raise QueryError("from", f"from ({first}) is after to ({last})")
    return StatsRequest(first, last, server, stream, live=live)


def wms_scope(accounts: AccountStore, access: Access, params: QueryParams) -> Scope:
    """The slice asked for, or 403. Without ``data_slice`` a user key sees its own slices and an
    account-wide key the whole account (its Full data slice)."""
    slice_id = _optional(params, "data_slice")
    scope = accounts.scope(access, slice_id)
    if scope is None:
        raise AccessError(403, f"data slice {slice_id!r} is not one of yours")
    return scope


def stored_days(req: StatsRequest) -> TimeRange | None:
    """The request's days as a time range, clipped to what the store can hold (None: nothing)."""
    assert req.first is not None and req.last is not None
    first, last = max(req.first, FIRST_STORED_DAY), min(req.last, LAST_STORED_DAY)
    if first > last:
        return None
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
    return TimeRange(start, end)


def filters(req: StatsRequest) -> tuple[Filter, ...]:
    found = []
    if req.server:
        found.append(Filter("server_id", (req.server,)))
    if req.stream:
        found.append(Filter("stream_id", (req.stream,)))
    return tuple(found)


def views_by_day_query(scope: Scope, req: StatsRequest, time: TimeRange, dimension: str) -> Query:
    """Views by start day and ``dimension`` (``wms_player`` / ``wms_device``); days without
    views have no rows."""
    return Query(
        scope=scope, metrics=("views",), time=time, dimensions=(dimension,),
        filters=filters(req), bucket=DAY, fill=False,
    )


def live_views_query(scope: Scope, req: StatsRequest, dimension: str, now: datetime) -> Query:
    """Views of ``stream`` on ``server`` active in the last 60 s (``now`` included), by ``dimension``."""
    return Query(
        scope=scope, metrics=("active_views",), dimensions=(dimension,), filters=filters(req),
        time=TimeRange(now - LIVE_WINDOW, now + timedelta(milliseconds=1)),
    )


def servers_query(scope: Scope, now: datetime) -> Query:
    """A listing of the server ids seen in ``scope``, ever."""
    return Query(
        scope=scope, metrics=(), dimensions=("server_id",),
        time=TimeRange(ALL_TIME_START, now + timedelta(days=1)),
    )


def flag(params: QueryParams, name: str) -> bool:
    return (params.get(name) or "").strip().lower() in ("true", "1", "yes", "on")
