"""The raw-or-rollup decision (query/rollups.py), read off the SQL the planner renders: which table
each statement reads FROM, for queries the rollups answer exactly and for ones they cannot.
(That both give the same numbers is tests/reference's job: every reference test runs both ways.)"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from mediastats.config import Settings
from mediastats.query import DAY, FIVE_MINUTES, HOUR, MINUTE, Bucket, Filter, Query, Scope, SliceScope, TimeRange
from mediastats.query.run import plan, render
from mediastats.storage.migrations import chdb_statements, cluster_statements, server_statements

START = datetime(2026, 3, 7, 8, 0, tzinfo=UTC)
TIME = TimeRange(START, START + timedelta(days=2))


def q(metrics: tuple[str, ...], bucket: Bucket | None = FIVE_MINUTES, **kw: object) -> Query:
    base: dict[str, object] = {"scope": Scope("acc"), "metrics": metrics, "time": TIME, "bucket": bucket}
    return Query(**{**base, **kw})  # type: ignore[arg-type]


def tables(query: Query, rollups: bool = True) -> list[list[str]]:
    """Per statement, the tables it reads, in order."""
    return [re.findall(r"FROM \{db\}\.(\w+)", s.text) for s in render(plan(query, rollups=rollups))]


@pytest.mark.parametrize(("query", "table"), [
    (q(("viewing_time_ms", "bytes_cdn")), "rollup_streams_5m"),
    (q(("bytes_total",), dimensions=("channel_id",)), "rollup_streams_5m"),
    (q(("buffered_ms",), filters=(Filter("stream_id", ("a",)),), scope=Scope("acc", (SliceScope(("srv",)),))),
     "rollup_streams_5m"),
    # Two days from 08:00 UTC: whole hours to midnight, one whole UTC day, whole hours after it.
    (q(("ad_impressions", "ad_events"), None, dimensions=("ad_tag",)),
     ["rollup_streams_1h", "rollup_streams_1d", "rollup_streams_1h"]),
    (q(("avg_buffer_ms",), HOUR, dimensions=("s73_os",)), "rollup_devices_1h"),
    (q(("viewing_time_ms",), DAY, filters=(Filter("bitrate_kbps", ("1500",)),)),
     ["rollup_devices_1h", "rollup_devices_1d", "rollup_devices_1h"]),
    (q(("viewing_time_ms",), DAY, time=TimeRange(START.replace(hour=0), START.replace(hour=0) + timedelta(days=3))),
     "rollup_streams_1d"),
    (q(("bytes_p2p",), DAY, timezone="US/Pacific"), "rollup_streams_1h"),
    (q(("bytes_p2p",), Bucket("week"), timezone="US/Pacific"), "rollup_streams_1h"),
    (q(("bytes_p2p",), Bucket("month"), timezone="Europe/Berlin"), "rollup_streams_1h"),
    (q(("bytes_p2p",), Bucket("hour", 6), timezone="Europe/Berlin"), "rollup_streams_1h"),
    # +05:45: hour buckets start at :15 past UTC hours: whole 5-minute periods, not whole hours.
    (q(("viewing_time_ms",), HOUR, timezone="Asia/Kathmandu"), "rollup_streams_5m"),
    (q(("viewing_time_ms",), DAY, timezone="Asia/Kathmandu"), "rollup_streams_5m"),
    (q(("viewing_time_ms",), Bucket("second", 600)), "rollup_streams_5m"),
    (q((), None, dimensions=("sr_platform",)), ["rollup_devices_1h", "rollup_devices_1d", "rollup_devices_1h"]),
    (q(("rebuffering_ratio", "bandwidth_bps"), Bucket("minute", 15)), "rollup_streams_5m"),
    # Amagi contentAnalytics: viewing time per day and content, in UTC or a whole-hour zone.
    (q(("viewing_time_ms",), DAY, dimensions=("content_id", "content_name", "series_name"),
       filters=(Filter("studio", ("s",)),)), ["rollup_content_1h", "rollup_content_1d", "rollup_content_1h"]),
    (q(("viewing_time_ms",), DAY, timezone="US/Pacific", dimensions=("content_id",)), "rollup_content_1h"),
], ids=lambda v: "" if isinstance(v, str) else None)
def test_the_planner_reads_the_narrowest_rollup_that_answers(query: Query, table: str | list[str]) -> None:
    assert tables(query) == [[table] if isinstance(table, str) else table]
    assert tables(query, rollups=False) == [["events"]]


@pytest.mark.parametrize("query", [
    q(("viewing_time_ms",), Bucket("second", 30)),            # sub-minute buckets
    q(("viewing_time_ms",), Bucket("second", 90)),            # not a whole number of minutes
    q(("viewing_time_ms",), MINUTE),                          # finer than the finest rollup
    q(("viewing_time_ms",), Bucket("minute", 7)),             # not a whole number of 5 minutes
    q(("viewing_time_ms",), dimensions=("content_name",)),   # not a rollup column
    q(("viewing_time_ms",), dimensions=("s73_os",)),         # device columns: hourly only
    q(("viewing_time_ms",), DAY, timezone="Asia/Kathmandu", dimensions=("s73_os",)),
    q(("viewing_time_ms",), filters=(Filter("city", ("Paris",)),)),
    q(("avg_buffer_ms",), source="p2p"),                      # sessions by their latest delivery
    q(("ad_viewers",)),                                       # a distinct count
    # Africa/Monrovia was UTC−00:44:30 until 1972: its midnights and 5-minute marks are not whole minutes.
    q(("viewing_time_ms",), DAY, timezone="Africa/Monrovia",
      time=TimeRange(datetime(1971, 3, 1, tzinfo=UTC), datetime(1971, 3, 3, tzinfo=UTC))),
    q(("viewing_time_ms",), FIVE_MINUTES, timezone="Africa/Monrovia",
      time=TimeRange(datetime(1971, 3, 1, tzinfo=UTC), datetime(1971, 3, 3, tzinfo=UTC))),
    # No whole minute inside the range.
    q(("viewing_time_ms",), None, time=TimeRange(START + timedelta(seconds=5), START + timedelta(seconds=65))),
], ids=["30s", "90s", "1m", "7m", "content_name", "s73_os_5m", "s73_os_kathmandu_day", "city_filter", "source",
        "ad_viewers", "monrovia_day", "monrovia_5m", "no_whole_minute"])
def test_the_planner_falls_back_to_raw_events(query: Query) -> None:
    # The same statements as with rollups off, except that a ``source`` still finds its sessions'
    # latest delivery in session_facts_by_start (off: from the session's events).
    assert [[t.replace("session_facts_by_start", "events") for t in ts] for ts in tables(query)] \
        == tables(query, rollups=False)
    assert [t[0] for t in tables(query)] == ["events"]
    assert not any("rollup" in t for ts in tables(query) for t in ts)


def test_a_distinct_count_goes_raw_beside_the_rollup_sums() -> None:
    assert tables(q(("bytes_cdn", "ad_viewers", "conversion_rate"))) == [["rollup_streams_5m"], ["events"]]


def test_view_metrics_read_session_facts() -> None:
    assert tables(q(("views", "active_views", "viewing_time_ms"))) == [
        ["rollup_streams_5m"], ["session_facts_by_start"], ["session_facts_by_start"]]
    assert tables(q(("views", "active_views")), rollups=False) == [["events", "events"], ["events", "events"]]


def test_a_range_cut_mid_minute_reads_its_partial_periods_raw() -> None:
    """5-minute buckets from 08:07:47 to 10:00:41: [08:10, 10:00) from the 5-minute rollup,
    [08:07:47, 08:10) and [10:00, 10:00:41) from events, summed in one statement."""
    inside = TimeRange(START + timedelta(minutes=7, seconds=47), START + timedelta(hours=2, seconds=41))
    statements = render(plan(q(("viewing_time_ms",), time=inside), rollups=True))
    assert len(statements) == 1
    sql, params = statements[0].text, statements[0].params
    assert re.findall(r"FROM \{db\}\.(\w+)", sql) == ["events", "rollup_streams_5m", "events"]
    assert " UNION ALL " in sql
    s0 = int(START.timestamp())
    assert sorted(v for k, v in params.items() if k.startswith("t")) == sorted(
        [s0 + 467, s0 + 600, s0 + 600, s0 + 7200, s0 + 7200, s0 + 7241])
    assert sorted(v for k, v in params.items() if k.startswith("ms")) == [
        (s0 + 467) * 1000, (s0 + 600) * 1000, (s0 + 7200) * 1000, (s0 + 7241) * 1000]


def test_peaks_read_their_sub_buckets_from_the_rollup() -> None:
    from mediastats.query import run_sync
    from tests.sql.test_snapshots import RecordingStore

    store = RecordingStore(rollups=True)
    run_sync(store, q(("bandwidth_bps.p95",), DAY))
    assert [re.findall(r"FROM \{db\}\.(\w+)", sql) for sql, _ in store.statements] == [["rollup_streams_5m"]]


@pytest.mark.parametrize(("value", "on"), [(None, True), ("1", True), ("on", True), ("0", False), ("off", False),
                                           ("OFF", False), ("false", False)])
def test_mediastats_rollups_env(monkeypatch: pytest.MonkeyPatch, value: str | None, on: bool) -> None:
    if value is None:
        monkeypatch.delenv("MEDIASTATS_ROLLUPS", raising=False)
    else:
        monkeypatch.setenv("MEDIASTATS_ROLLUPS", value)
    assert Settings.from_env().rollups is on


def test_migration_2_creates_the_view_before_the_backfill() -> None:
    """Rows stored before the MV exists come from the backfill, later ones from the MV: once each."""
    for statements, table in ((chdb_statements(2, "db"), "db.rollup_streams_1h"),
                              (server_statements(2, "db"), "db.rollup_streams_1h"),
                              (cluster_statements(2, "db", "c"), "db.rollup_streams_1h_local")):
        text = [s for s in statements if table + " " in s or s.endswith(table)]
        kinds = [s.split(" ")[0] + " " + s.split(" ")[1] for s in text]
        assert kinds == ["CREATE TABLE", "CREATE MATERIALIZED", "TRUNCATE TABLE", "INSERT INTO"], kinds
    cluster = cluster_statements(2, "db", "c")
    assert any("Distributed(c, db, rollup_devices_1h_local" in s for s in cluster)
    assert all("LowCardinality" not in s for s in (*server_statements(2, "db"), *cluster))
    assert any("FROM db.events_local" in s for s in cluster)


def test_a_range_is_read_in_hours_five_minutes_and_raw_pieces() -> None:
    """Hourly buckets from 07:53:30 to 10:07:41: raw [07:53:30, 07:55), 5 minutes [07:55, 08:00),
    hours [08:00, 10:00), 5 minutes [10:00, 10:05), raw [10:05, 10:07:41)."""
    span = TimeRange(START - timedelta(minutes=6, seconds=30), START + timedelta(hours=2, minutes=7, seconds=41))
    assert tables(q(("viewing_time_ms", "avg_buffer_ms"), HOUR, time=span)) == [
        ["events", "rollup_streams_5m", "rollup_streams_1h", "rollup_streams_5m", "events"]]
