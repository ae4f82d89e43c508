"""Amagi v2 requests → Queries (seed §5, CONTRACT §4 and §6).

Each data type becomes two Queries: ``rows`` (the listed buckets: ``fill=False`` keeps only the
buckets where a view started or minutes were played, or an ad event happened — the Amagi row
rule) and ``totals`` (the same filters over the whole range, no bucket: distinct viewers over
the range and the per-view / per-viewer ratios). Filters apply to both, before the row rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from mediastats.query import DAY, HOUR, MINUTE, Query, QueryError, Scope, TimeRange
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
    if kind not in REPORT_TYPES:
        raise invalid("type", f"must be one of [{', '.join(REPORT_TYPES)}]")
    ad = kind in (AD, AD_CONTENT)
    intervals = UNIQUE_INTERVALS if kind == UNIQUE else ROW_INTERVALS
    dates = date_range(params, choice(params, "interval", intervals, default="DAILY" if ad else None, upper=True))
    base = Query(
        scope=scope, metrics=(), time=dates.time, timezone=dates.timezone,
        filters=filters(params, AD_FILTERS if ad else FILTERS),
    )
    metrics, totals = (
        (AD_METRICS, AD_METRICS) if ad else (UNIQUE_METRICS, UNIQUE_METRICS) if kind == UNIQUE
        else (VIEW_METRICS, VIEW_TOTALS)
    )
    if kind in (CONTENT, AD_CONTENT):
        rows = _content_rows(replace(base, metrics=metrics), params, "ad_impressions" if ad else "viewing_time_ms")
    else:
        hourly = dates.interval == ("DAILY" if kind == UNIQUE else "HOURLY")
        rows = replace(base, metrics=metrics, bucket=HOUR if hourly else DAY, fill=False)
    return Translated(kind, dates, rows, replace(base, metrics=totals))


def _content_rows(base: Query, params: Params, lead: str) -> Query:
    """Rows per day and content whatever the interval (CONTRACT §6), the most watched (or
    most impressed) content first within a day, paged by ``page`` / ``limit``."""
    limit, page = positive_int(params, "limit"), positive_int(params, "page") or 1
    rows = replace(
        base, dimensions=CONTENT_DIMENSIONS, bucket=DAY, fill=False,
        order_by=(("bucket_ms", "asc"), (lead, "desc"), ("content_id", "asc")),
        limit=limit, offset=(page - 1) * limit if limit else 0,
    )
    if not limit and page > 1:  # without a limit everything is on page 1
        rows = replace(rows, limit=0)
    return rows


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
