"""Bad input to the Query core: every case is a QueryError naming the field, raised while planning,
before any statement reaches the store (so a door answers 4xx in its shape, never 500)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mediastats.query import (
    MINUTE,
    Bucket,
    Filter,
    Query,
    QueryError,
    Scope,
    TimeRange,
    parse_interval,
    run_sync,
    zone,
)
from mediastats.query.buckets import MAX_BUCKETS
from mediastats.query.run import plan, render

T0 = datetime(2026, 2, 10, tzinfo=UTC)
HOUR_RANGE = TimeRange(T0, T0 + timedelta(hours=1))


def q(**kw: Any) -> Query:
    base: dict[str, Any] = {"scope": Scope("acc1"), "metrics": ("views",), "time": HOUR_RANGE}
    return Query(**{**base, **kw})


class NoStore:
    """A store that must not be asked: the error comes before any statement."""

    name = "none"
    rollups = True

    def query(self, sql: str, params: Any = None) -> Any:
        raise AssertionError(f"the store was asked: {sql[:80]}")


BAD: dict[str, tuple[Query, str, str]] = {
    # name: (query, param, a word the message must contain)
    "unknown metric": (q(metrics=("veiws",)), "metrics", "'views'"),
    "unknown peak aggregate": (q(metrics=("active_views.p99",)), "metrics", "unknown metric"),
    "peak of a metric without buckets": (q(metrics=("views.max",)), "metrics", "no per-bucket peak"),
    "unknown dimension": (q(dimensions=("operating_system",)), "dimensions", "unknown dimension"),
    "unknown filter dimension": (q(filters=(Filter("osx", ("a",)),)), "filters", "unknown dimension"),
    "filter value not a string": (q(filters=(Filter("bitrate_kbps", (1500,)),)), "filters",
                                  "strings"),
    "unknown timezone": (q(timezone="Mars/Olympus"), "timezone", "unknown timezone"),
    "empty timezone": (q(timezone=""), "timezone", "unknown timezone"),
    "timezone path": (q(timezone="../../etc/passwd"), "timezone", "unknown timezone"),
    "inverted range": (q(time=TimeRange(T0, T0 - timedelta(seconds=1))), "date_range", "end after"),
    "empty range": (q(time=TimeRange(T0, T0)), "date_range", "end after"),
    "naive times": (q(time=TimeRange(datetime(2026, 2, 10), datetime(2026, 2, 11))), "date_range", "aware"),
    "before 1970": (q(time=TimeRange(datetime(1, 1, 1, tzinfo=UTC), T0)), "date_range", "1970"),
    "after 2106": (q(time=TimeRange(T0, datetime(9999, 1, 1, tzinfo=UTC))), "date_range", "2106"),
    "too many minutes": (q(bucket=MINUTE, time=TimeRange(T0, T0 + timedelta(minutes=MAX_BUCKETS + 1))),
                         "interval", "100000"),
    "too many hours": (q(bucket=Bucket("hour"), metrics=("viewing_time_ms",),
                         time=TimeRange(T0, T0 + timedelta(hours=MAX_BUCKETS + 1))), "interval", "100000"),
    "too many hours in a zone": (q(bucket=Bucket("hour"), timezone="US/Pacific",
                                   time=TimeRange(T0, T0 + timedelta(days=5000))), "interval", "100000"),
    "too many sub-buckets by default": (q(metrics=("active_views.max",), time=TimeRange(T0, T0 + timedelta(days=70))),
                                        "date_range", "100000"),
    "too many sub-buckets asked for": (q(metrics=("bandwidth_bps.p95",), sub_bucket=Bucket("second", 1),
                                         time=TimeRange(T0, T0 + timedelta(days=2))),
                                       "sub_bucket", "100000"),
    "zero-length bucket": (q(bucket=Bucket("minute", 0)), "interval", "not a bucket"),
    "negative bucket": (q(bucket=Bucket("hour", -1)), "interval", "not a bucket"),
    "unknown bucket unit": (q(bucket=Bucket("year")), "interval", "not a bucket"),
    "zero-length sub-bucket": (q(metrics=("active_views.max",), sub_bucket=Bucket("minute", 0)), "sub_bucket",
                               "not a bucket"),
    "unknown source": (q(source="satellite"), "source", "satellite"),
    "zero rate divisor": (q(metrics=("bandwidth_bps",), rate_seconds=0.0), "rate_seconds", "positive"),
    "negative rate divisor": (q(metrics=("bandwidth_bps",), rate_seconds=-60.0), "rate_seconds", "positive"),
    "session-only dimension on a by-time metric": (q(metrics=("viewing_time_ms",), dimensions=("span_class",)),
                                                   "dimensions", "span_class"),
    "session-only dimension in a listing": (q(metrics=(), dimensions=("span_class",)), "dimensions", "span_class"),
    "event-only dimension on a view metric": (q(metrics=("views",), dimensions=("ad_tag",)), "dimensions", "ad_tag"),
    "event-only filter on a peak": (q(metrics=("active_views.max",), filters=(Filter("ad_tag", ("pre",)),)),
                                    "dimensions", "ad_tag"),
    "order by something not asked": (q(order_by=(("bytes_cdn", "desc"),)), "order_by", "bytes_cdn"),
    "order direction": (q(order_by=(("views", "sideways"),)), "order_by", "sideways"),
    "negative limit": (q(limit=-1), "limit", ">= 0"),
    "negative offset": (q(offset=-10), "page", "page"),
    "no account": (q(scope=Scope("")), "account", "account"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_query_names_the_field(name: str) -> None:
    query, param, word = BAD[name]
    with pytest.raises(QueryError) as caught:
        render(plan(query))
    assert caught.value.param == param, caught.value.message
    assert word in caught.value.message
    assert caught.value.status == 400


@pytest.mark.parametrize("name", list(BAD))
def test_bad_query_never_reaches_the_store(name: str) -> None:
    with pytest.raises(QueryError):
        run_sync(NoStore(), BAD[name][0])


def test_unknown_metric_suggests_close_names() -> None:
    with pytest.raises(QueryError) as caught:
        plan(q(metrics=("bandwith_bps",)))
    assert "did you mean 'bandwidth_bps'" in caught.value.message


@pytest.mark.parametrize("bucket, span", [
    (MINUTE, timedelta(minutes=MAX_BUCKETS)),
    (Bucket("second", 30), timedelta(seconds=30 * MAX_BUCKETS)),
    (Bucket("hour"), timedelta(hours=MAX_BUCKETS)),
])
def test_exactly_the_cap_is_allowed(bucket: Bucket, span: timedelta) -> None:
    start = datetime(1980, 1, 1, tzinfo=UTC)
    p = plan(q(bucket=bucket, time=TimeRange(start, start + span)))
    assert p.grid is not None and len(p.grid) == MAX_BUCKETS


def test_an_unaligned_range_counts_its_extra_bucket() -> None:
    """100,000 minutes from hh:mm:30 touch 100,001 minute buckets: over the cap (regression)."""
    start = T0 + timedelta(seconds=30)
    with pytest.raises(QueryError) as caught:
        plan(q(bucket=MINUTE, time=TimeRange(start, start + timedelta(minutes=MAX_BUCKETS))))
    assert caught.value.param == "interval"


def test_a_user_value_in_a_bad_field_is_not_run() -> None:
    hostile = "x'); DROP TABLE events; --"
    for query in (q(timezone=hostile), q(metrics=(hostile,)), q(dimensions=(hostile,)),
                  q(filters=(Filter(hostile, ("a",)),))):
        with pytest.raises(QueryError):
            run_sync(NoStore(), query)


@pytest.mark.parametrize("text", ["", "5", "m", "0m", "-5m", "5y", "1.5h", "five minutes", "5 m"])
def test_bad_interval_text(text: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_interval(text, param="interval")
    assert caught.value.param == "interval"


def test_zone_names_its_param() -> None:
    with pytest.raises(QueryError) as caught:
        zone("Nowhere/Land", param="tz")
    assert caught.value.param == "tz"


def test_good_queries_still_plan() -> None:
    """The checks above do not refuse what doors send (peaks alone plan no statement of their
    own: their sub-bucket runs are separate queries)."""
    good = [
        q(),
        q(metrics=(), dimensions=("channel_id",)),
        q(metrics=("active_views.max",), bucket=MINUTE, sub_bucket=Bucket("second", 10)),
        q(metrics=("bandwidth_bps",), rate_seconds=3600.0, source="p2p"),
        q(filters=(Filter("bitrate_kbps", ("1500",)), Filter("delivery", (), negate=True))),
        replace(q(), order_by=(("views", "desc"),), limit=0, offset=0),
        q(time=TimeRange(datetime(1970, 1, 1, tzinfo=UTC), datetime(2106, 1, 1, tzinfo=UTC))),
    ]
    for query in good:
        statements = render(plan(query))
        assert statements or query.metrics == ("active_views.max",)
