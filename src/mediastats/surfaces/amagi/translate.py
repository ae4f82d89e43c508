"""Amagi v2 requests → Queries (seed §5, CONTRACT §4 and §6).

Each data type becomes two Queries: ``rows`` (the listed buckets: ``fill=False`` keeps only the
buckets where a view started or minutes were played, or an ad event happened — the Amagi row
rule) and ``totals`` (the same filters over the whole range, no bucket: distinct viewers over
the range and the per-view / per-viewer ratios). Filters apply to both, before the row rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from mediastats.query import DAY, HOUR, MINUTE, Bucket, Query, QueryError, Scope, TimeRange
from mediastats.surfaces.amagi.params import (
    AD_FILTERS,
    FILTERS,
    DateRange,
    Params,
    choice,
    date_range,
    filters,
    invalid,
    one,
    positive_int,
    required,
)

VIEWERSHIP = "viewershipAnalytics"
CONTENT = "contentAnalytics"
CONCURRENT = "concurrentUsers"
AD = "adAnalytics"
AD_CONTENT = "adContentAnalytics"
UNIQUE = "uniqueViewersAnalytics"
CHANNELS = "channelList"
TYPES = (VIEWERSHIP, CONTENT, CONCURRENT, AD, AD_CONTENT, UNIQUE, CHANNELS)
# The types a scheduled report may have (concurrentUsers is "now"-relative, channelList a list).
REPORT_TYPES = (VIEWERSHIP, CONTENT, AD, AD_CONTENT, UNIQUE)

ROW_INTERVALS = ("DAILY", "HOURLY")
UNIQUE_INTERVALS = ("DAILY", "WEEKLY", "MONTHLY")
HOURS_LIMIT_MAX = 24
CHANNEL_LIST_DAYS = 3650

VIEW_METRICS = ("views", "unique_viewers", "viewing_time_ms")
VIEW_TOTALS = (*VIEW_METRICS, "views_per_viewer", "viewing_time_ms_per_view")
AD_METRICS = ("ad_opportunities", "ad_requests", "ad_responses", "ad_assets", "ad_impressions", "conversion_rate")
UNIQUE_METRICS = ("unique_viewers", "views_per_viewer", "started_played_ms_per_viewer")
CONTENT_DIMENSIONS = ("content_id", "content_name", "series_name")
NO_CUSTOMER_OR_CHANNEL = "customer_id or channel_id should be sent in query"


@dataclass(frozen=True)
class Translated:
    """One v2 data request: its type, the echoed dates, and the Queries to run."""

    type: str
    dates: DateRange
    rows: Query
    totals: Query


def report_type(params: Params) -> str:
    return choice(params, "type", TYPES)


def require_customer_or_channel(params: Params) -> None:
    """``customerId`` (value not checked: the key names the account) or ``channelId``."""
    if one(params, "customerId") is None and one(params, "channelId") is None:
        raise QueryError(None, NO_CUSTOMER_OR_CHANNEL, status=422)


def data_request(kind: str, params: Params, scope: Scope) -> Translated:
    """The Queries of a dated v2 type (every type but concurrentUsers and channelList)."""
    if kind in (VIEWERSHIP, CONTENT):
        dates = date_range(params, choice(params, "interval", ROW_INTERVALS))
    elif kind in (AD, AD_CONTENT):
        dates = date_range(params, choice(params, "interval", ROW_INTERVALS, default="DAILY"))
    elif kind == UNIQUE:
        dates = date_range(params, choice(params, "interval", UNIQUE_INTERVALS))
    else:
        raise invalid("type", f"must be one of [{', '.join(TYPES)}]")
    base = Query(
        scope=scope, metrics=(), time=dates.time, timezone=dates.timezone,
        filters=filters(params, AD_FILTERS if kind in (AD, AD_CONTENT) else FILTERS),
    )
    if kind == VIEWERSHIP:
        return _bucketed(kind, dates, base, VIEW_METRICS, VIEW_TOTALS, HOUR if dates.interval == "HOURLY" else DAY)
    if kind == AD:
        return _bucketed(kind, dates, base, AD_METRICS, AD_METRICS, HOUR if dates.interval == "HOURLY" else DAY)
    if kind == UNIQUE:
        return _bucketed(kind, dates, base, UNIQUE_METRICS, UNIQUE_METRICS, HOUR if dates.interval == "DAILY" else DAY)
    metrics, totals, lead = (
        (VIEW_METRICS, VIEW_TOTALS, "viewing_time_ms") if kind == CONTENT else (AD_METRICS, AD_METRICS, "ad_impressions")
    )
    limit, page = positive_int(params, "limit"), positive_int(params, "page") or 1
    rows = replace(
        base, metrics=metrics, dimensions=CONTENT_DIMENSIONS, bucket=DAY, fill=False,
        order_by=(("bucket_ms", "asc"), (lead, "desc"), ("content_id", "asc")),
        limit=limit, offset=(page - 1) * limit if limit else 0,
    )
    if not limit and page > 1:  # without a limit everything is on page 1
        rows = replace(rows, limit=0)
    return Translated(kind, dates, rows, _totals(base, totals))


def _bucketed(
    kind: str, dates: DateRange, base: Query, metrics: tuple[str, ...], totals: tuple[str, ...], bucket: Bucket
) -> Translated:
    rows = replace(base, metrics=metrics, bucket=bucket, fill=False)
    return Translated(kind, dates, rows, _totals(base, totals))


def _totals(base: Query, metrics: tuple[str, ...]) -> Query:
    return replace(base, metrics=metrics)


def concurrent_query(params: Params, scope: Scope, now: datetime) -> Query:
    """One point a minute over the last ``hoursLimit`` hours (UTC), the last one the last
    complete minute (CONTRACT §6)."""
    text = required(params, "hoursLimit")
    if not text.isdigit() or not 1 <= int(text) <= HOURS_LIMIT_MAX:
        raise invalid("hoursLimit", "must be one of [1, 12, 24] (at most 24)")
    end = now.replace(second=0, microsecond=0)
    return Query(
        scope=scope, metrics=("active_views",), time=TimeRange(end - timedelta(hours=int(text)), end),
        bucket=MINUTE, timezone="UTC", filters=filters(params),
    )


def channel_list_query(scope: Scope, now: datetime) -> Query:
    """Channels where a view started (viewership) or an ad event happened (ad analytics)."""
    return Query(
        scope=scope, metrics=("views", "ad_events"), dimensions=("channel_id",),
        time=TimeRange(now - timedelta(days=CHANNEL_LIST_DAYS), now + timedelta(hours=1)),
    )
