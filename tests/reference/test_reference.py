"""The Query core against CONTRACT §4: seeded random events go in over HTTP, and every metric,
grouped by several dimensions and bucketed in UTC and US/Pacific, must come out as the plain
Python model (tests/reference/model.py) computes it.

Each scenario is one fresh account fed once (module scope); the tests only read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pytest

from mediastats.query import (
    DAY,
    FIVE_MINUTES,
    HOUR,
    METRICS,
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
    run_sync,
)
from mediastats.query.metrics import PEAK_AGGREGATES, PEAKABLE
from tests.conftest import Server
from tests.reference.events import Batches, batches
from tests.reference.grid import utc
from tests.reference.harness import assert_matches, ingest, new_account, wait_visible
from tests.reference.model import Model

PT = "US/Pacific"
BASE_METRICS = tuple(METRICS)
PEAKS = tuple(f"{base}.{how}" for base in PEAKABLE for how in PEAK_AGGREGATES)
DIMENSION_SETS: tuple[tuple[str, ...], ...] = (
    (), ("channel_id",), ("os",), ("s73_os",), ("delivery",), ("channel_id", "s73_os"),
)


@dataclass(frozen=True)
class Scenario:
    seed: int
    time: TimeRange
    # (starts between, number of views, max minutes) groups of views
    groups: tuple[tuple[tuple[Any, Any], int, int], ...]
    buckets: tuple[tuple[Bucket | None, str], ...]

    def batches(self) -> Batches:
        parts = [batches(self.seed * 10 + i, between, n, minutes)
                 for i, (between, n, minutes) in enumerate(self.groups)]
        return Batches(first=[e for p in parts for e in p.first], resent=[e for p in parts for e in p.resent])


SCENARIOS: dict[str, Scenario] = {
    # Views crossing minute, 5-minute and hour boundaries, some begun before the range, some
    # running past its end.
    "utc-hours": Scenario(
        seed=1,
        time=TimeRange(utc(2026, 2, 10, 12), utc(2026, 2, 10, 14)),
        groups=(((utc(2026, 2, 10, 11, 20), utc(2026, 2, 10, 14, 5)), 14, 45),),
        buckets=((None, "UTC"), (MINUTE, "UTC"), (FIVE_MINUTES, "UTC"), (TEN_MINUTES, "UTC"), (HOUR, "UTC")),
    ),
    # Midnight in US/Pacific is 08:00 UTC: the Pacific day and the UTC day split differently.
    "pacific-midnight": Scenario(
        seed=2,
        time=TimeRange(utc(2026, 2, 10, 22, tz=PT), utc(2026, 2, 11, 2, tz=PT)),
        groups=(((utc(2026, 2, 10, 21, 30, tz=PT), utc(2026, 2, 11, 2, 10, tz=PT)), 14, 50),),
        buckets=((None, PT), (FIVE_MINUTES, PT), (HOUR, PT), (DAY, PT), (DAY, "UTC")),
    ),
    # 2026-03-08 02:00 PST → 03:00 PDT: a 23-hour day; views across the jump.
    "dst-spring": Scenario(
        seed=3,
        time=TimeRange(utc(2026, 3, 7, tz=PT), utc(2026, 3, 10, tz=PT)),
        groups=(((utc(2026, 3, 8, 0, 30, tz=PT), utc(2026, 3, 8, 4, 0, tz=PT)), 12, 60),
                ((utc(2026, 3, 6, 23, 0, tz=PT), utc(2026, 3, 10, 0, 30, tz=PT)), 6, 30)),
        buckets=((None, PT), (HOUR, PT), (DAY, PT), (DAY, "UTC")),
    ),
    # 2026-11-01 02:00 PDT → 01:00 PST: a 25-hour day; 01:00–02:00 happens twice.
    "dst-fall": Scenario(
        seed=4,
        time=TimeRange(utc(2026, 10, 31, tz=PT), utc(2026, 11, 3, tz=PT)),
        groups=(((utc(2026, 10, 31, 23, 30, tz=PT), utc(2026, 11, 1, 3, 0, tz=PT)), 12, 70),
                ((utc(2026, 10, 30, 23, 0, tz=PT), utc(2026, 11, 3, 0, 30, tz=PT)), 6, 30)),
        buckets=((None, PT), (HOUR, PT), (DAY, PT), (DAY, "UTC")),
    ),
    # Short views scattered over a quarter: weeks (Monday first) and months, with empty ones.
    "calendar": Scenario(
        seed=5,
        time=TimeRange(utc(2026, 1, 1, tz=PT), utc(2026, 4, 1, tz=PT)),
        groups=(((utc(2025, 12, 31, 23, tz=PT), utc(2026, 1, 20, tz=PT)), 8, 20),
                ((utc(2026, 2, 27, tz=PT), utc(2026, 4, 1, 1, tz=PT)), 10, 20),
                ((utc(2026, 1, 31, 23, 40, tz=PT), utc(2026, 2, 1, 0, 20, tz=PT)), 4, 40)),
        buckets=((None, PT), (DAY, PT), (WEEK, PT), (WEEK, "UTC"), (MONTH, PT), (MONTH, "UTC")),
    ),
}


@dataclass(frozen=True)
class Loaded:
    server: Server
    scenario: Scenario
    account_id: str
    model: Model
    answers: tuple[dict[str, Any], dict[str, Any]]

    def query(self, metrics: tuple[str, ...], bucket: Bucket | None = None, timezone: str = "UTC",
              **kw: Any) -> Query:
        return Query(scope=Scope(self.account_id), metrics=metrics, time=self.scenario.time, bucket=bucket,
                     timezone=timezone, **kw)

    def check(self, query: Query) -> None:
        result = run_sync(self.server.services.storage, query)
        assert_matches(result, self.model.rows(query), label=repr(query))


@pytest.fixture(scope="module")
def load(server: Server) -> Callable[[str], Loaded]:
    cache: dict[str, Loaded] = {}

    def loaded(name: str) -> Loaded:
        if name not in cache:
            scenario = SCENARIOS[name]
            account = new_account(server, f"reference {name}")
            sent = scenario.batches()
            answers = (ingest(server, account["ingest_key"], sent.first),
                       ingest(server, account["ingest_key"], sent.resent))
            model = Model(sent.all)
            wait_visible(server, account["id"], model)
            cache[name] = Loaded(server, scenario, account["id"], model, answers)
        return cache[name]

    return loaded


GRID_CASES = [(name, b, tz) for name, s in SCENARIOS.items() for b, tz in s.buckets]


def _case_id(case: tuple[str, Bucket | None, str]) -> str:
    name, bucket, tz = case
    return f"{name}-{bucket.label() if bucket else 'total'}-{tz.replace('/', '_')}"


@pytest.mark.parametrize("case", GRID_CASES, ids=[_case_id(c) for c in GRID_CASES])
@pytest.mark.parametrize("dims", DIMENSION_SETS, ids=lambda d: "+".join(d) or "no_dims")
def test_every_metric_matches_the_model(load: Callable[[str], Loaded], case: tuple[str, Bucket | None, str],
                                        dims: tuple[str, ...]) -> None:
    name, bucket, tz = case
    data = load(name)
    data.check(data.query(BASE_METRICS, bucket, tz, dimensions=dims))


@pytest.mark.parametrize("case", GRID_CASES, ids=[_case_id(c) for c in GRID_CASES])
def test_peaks_match_the_model(load: Callable[[str], Loaded], case: tuple[str, Bucket | None, str]) -> None:
    name, bucket, tz = case
    data = load(name)
    # A quarter of 1-minute sub-buckets is over the 100,000-point cap: hourly ones there (23 and
    # 25 of them on the DST days).
    sub = HOUR if name == "calendar" else None
    for dims in ((), ("delivery",)):
        data.check(data.query(PEAKS, bucket, tz, dimensions=dims, sub_bucket=sub))


@pytest.mark.parametrize("metric", [*BASE_METRICS, *PEAKS])
def test_each_metric_alone(load: Callable[[str], Loaded], metric: str) -> None:
    data = load("utc-hours")
    data.check(data.query((metric,)))
    data.check(data.query((metric,), FIVE_MINUTES, dimensions=("s73_os",)))


def test_duplicates_are_counted_once(load: Callable[[str], Loaded]) -> None:
    data = load("utc-hours")
    sent = data.scenario.batches()
    first, resent = data.answers
    assert first["accepted"] == len(data.model.store.events)
    assert first["duplicates"] == len(sent.first) - len(data.model.store.events)
    assert (resent["accepted"], resent["duplicates"]) == (0, len(sent.resent))


def test_view_duration_classes(load: Callable[[str], Loaded]) -> None:
    data = load("pacific-midnight")
    for bucket in (None, HOUR):
        data.check(data.query(("views", "active_views", "started_played_ms"), bucket, PT,
                              dimensions=("span_class",)))


def test_ad_tags(load: Callable[[str], Loaded]) -> None:
    data = load("utc-hours")
    ad_metrics = ("ad_opportunities", "ad_requests", "ad_responses", "ad_assets", "ad_impressions",
                  "ad_viewers", "ad_events", "conversion_rate")
    for bucket in (None, TEN_MINUTES):
        data.check(data.query(ad_metrics, bucket, dimensions=("ad_tag",)))
    data.check(data.query(ad_metrics, filters=(Filter("ad_tag", ("preroll",)),)))


FILTERS = (
    (Filter("channel_id", ("ch-news", "default")),),
    (Filter("channel_id", ("ch-news",), negate=True),),
    (Filter("delivery", ("p2p",)),),
    (Filter("bitrate_kbps", ("1500", "3000")),),
    (Filter("s73_os", ("IOS", "UNKNOWN")), Filter("server_id", ("srv-3",), negate=True)),
)


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(("!" if x.negate else "") + x.dimension for x in f))
def test_filters(load: Callable[[str], Loaded], filters: tuple[Filter, ...]) -> None:
    data = load("dst-spring")
    for bucket in (None, HOUR):
        data.check(data.query(BASE_METRICS, bucket, PT, filters=filters, dimensions=("delivery",)))


@pytest.mark.parametrize("source", ["cdn", "p2p", "not_compatible"])
def test_source_keeps_views_by_latest_delivery(load: Callable[[str], Loaded], source: str) -> None:
    data = load("dst-fall")
    for bucket in (None, DAY):
        data.check(data.query((*BASE_METRICS, "active_views.max", "bandwidth_bps.p95"), bucket, PT,
                              source=source, dimensions=("s73_os",)))


SLICES = (
    (SliceScope(servers=("srv-1",)),),
    (SliceScope(channels=("ch-sport",)),),
    (SliceScope(servers=("srv-2",), channels=("default", "ch-news")),),
    (SliceScope(servers=("srv-1",)), SliceScope(channels=("ch-sport",))),
)


@pytest.mark.parametrize("slices", SLICES, ids=["server", "channel", "server+channel", "union"])
def test_slice_scopes(load: Callable[[str], Loaded], slices: tuple[SliceScope, ...]) -> None:
    data = load("pacific-midnight")
    for bucket in (None, HOUR):
        query = data.query((*BASE_METRICS, "active_views.max"), bucket, PT, dimensions=("channel_id",))
        data.check(replace(query, scope=Scope(data.account_id, slices)))


def test_a_range_that_cuts_buckets(load: Callable[[str], Loaded]) -> None:
    """Only what happens inside the range counts, even in the first and last (partial) buckets."""
    data = load("utc-hours")
    inside = TimeRange(utc(2026, 2, 10, 12, 7) + timedelta(seconds=13), utc(2026, 2, 10, 13, 41))
    for bucket in (None, FIVE_MINUTES, HOUR):
        data.check(replace(data.query((*BASE_METRICS, *PEAKS), bucket), time=inside))


def test_sub_bucket_and_rate_seconds(load: Callable[[str], Loaded]) -> None:
    data = load("utc-hours")
    data.check(data.query(("active_views.max", "active_views.avg", "active_views.p95"), TEN_MINUTES,
                          sub_bucket=TWO_MINUTES))
    data.check(data.query(("bandwidth_bps.max", "bandwidth_cdn_bps.avg"), HOUR, sub_bucket=MINUTE))
    data.check(data.query(("bandwidth_bps", "bandwidth_p2p_bps", "bytes_total"), rate_seconds=600.0))
    data.check(data.query(("bandwidth_bps", "bandwidth_cdn_bps"), FIVE_MINUTES, rate_seconds=60.0))


def test_without_fill_only_buckets_with_data(load: Callable[[str], Loaded]) -> None:
    data = load("calendar")
    data.check(data.query(("views", "viewing_time_ms", "active_views"), DAY, PT, fill=False))


def test_a_listing_is_the_values_with_data(load: Callable[[str], Loaded]) -> None:
    data = load("dst-spring")
    query = data.query((), dimensions=("channel_id",))
    result = run_sync(data.server.services.storage, query)
    assert {tuple(r[d] for d in query.dimensions) for r in result.rows} == data.model.listing(query)
