"""The Query core: the one way to ask for numbers. Doors import from here only."""

from mediastats.query.buckets import grid, parse_interval, zone
from mediastats.query.errors import QueryError
from mediastats.query.metrics import METRICS, Kind, Metric, metric
from mediastats.query.query import (
    DAY,
    FIVE_MINUTES,
    HOUR,
    MINUTE,
    MONTH,
    TEN_MINUTES,
    TWO_MINUTES,
    WEEK,
    Bucket,
    Filter,
    Query,
    Scope,
    SliceScope,
    TimeRange,
)
from mediastats.query.result import Result
from mediastats.query.run import run_query, run_sync
from mediastats.query.subtotals import subtotal

__all__ = [
    "DAY",
    "FIVE_MINUTES",
    "HOUR",
    "METRICS",
    "MINUTE",
    "MONTH",
    "TEN_MINUTES",
    "TWO_MINUTES",
    "WEEK",
    "Bucket",
    "Filter",
    "Kind",
    "Metric",
    "Query",
    "QueryError",
    "Result",
    "Scope",
    "SliceScope",
    "TimeRange",
    "grid",
    "metric",
    "parse_interval",
    "run_query",
    "run_sync",
    "subtotal",
    "zone",
]
