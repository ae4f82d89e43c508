"""The one Query object: the only way to ask the store for numbers.

Every door (native API, the four vendor surfaces, push, reports, dashboard) translates its
request into a ``Query`` and serializes the ``Result`` that ``run_query`` returns. Metric names
come from ``metrics.METRICS``, dimension names from ``dimensions.DIMENSIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Source = Literal["cdn", "p2p", "not_compatible"]


@dataclass(frozen=True)
class SliceScope:
    """One data slice: rows whose server is in ``servers`` and channel in ``channels``.
    An empty tuple means "all"."""

    servers: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    @property
    def is_everything(self) -> bool:
        return not self.servers and not self.channels


@dataclass(frozen=True)
class Scope:
    """Whose data a query may see: one account, and within it the union of some slices."""

    account_id: str
    slices: tuple[SliceScope, ...] = (SliceScope(),)

    @property
    def is_everything(self) -> bool:
        return any(s.is_everything for s in self.slices)


@dataclass(frozen=True)
class Filter:
    """``dimension`` equals one of ``values`` (or none of them, with ``negate``)."""

    dimension: str
    values: tuple[str, ...]
    negate: bool = False


@dataclass(frozen=True)
class Bucket:
    """A time bucket: ``count`` × ``unit``. Units below a day are fixed lengths aligned to the
    range start's local boundary; day, week (Monday first) and month follow the timezone."""

    unit: Literal["second", "minute", "hour", "day", "week", "month"]
    count: int = 1

    @property
    def seconds(self) -> int | None:
        """Fixed length in seconds, or None for calendar units (day and longer)."""
        per = {"second": 1, "minute": 60, "hour": 3600}.get(self.unit)
        return per * self.count if per else None

    def label(self) -> str:
        short = {"second": "s", "minute": "m", "hour": "h", "day": "d", "week": "w", "month": "M"}
        return f"{self.count}{short[self.unit]}"


MINUTE = Bucket("minute")
TWO_MINUTES = Bucket("minute", 2)
FIVE_MINUTES = Bucket("minute", 5)
TEN_MINUTES = Bucket("minute", 10)
HOUR = Bucket("hour")
DAY = Bucket("day")
WEEK = Bucket("week")
MONTH = Bucket("month")


@dataclass(frozen=True)
class TimeRange:
    """``start`` inclusive, ``end`` exclusive, both aware datetimes (UTC)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Query:
    scope: Scope
    metrics: tuple[str, ...]
    time: TimeRange
    dimensions: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    # Bucketed timeseries when set; one row per dimension combination over the range when None.
    bucket: Bucket | None = None
    timezone: str = "UTC"
    # Peaks, means and 95th percentiles are taken over these sub-buckets (e.g. 2-minute audience
    # buckets inside hourly points); each metric's own default applies when None.
    sub_bucket: Bucket | None = None
    # Sessions whose latest delivery is this (sample averages, device counts, rebuffering).
    source: Source | None = None
    # Rates divide by this many seconds instead of the bucket length (now-relative summaries).
    rate_seconds: float | None = None
    # Fill every bucket of the range with zeros where there is no data; when False, list only
    # the buckets where some requested metric is non-zero.
    fill: bool = True
    order_by: tuple[tuple[str, Literal["asc", "desc"]], ...] = ()
    limit: int | None = None
    offset: int = 0
    # The dimension values whose rows have every metric 0 are dropped (listings show only
    # entities with data) unless keep_empty is set.
    keep_empty: bool = False
