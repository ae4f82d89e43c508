"""Expected SQL: every statement the planner sends for representative Queries, one per metric
kind × bucket (none, fixed, calendar in a zone) × filter shape (none, filters, slice scope,
source), plus listings and session- or event-only dimensions, compared with stored snapshots.

A snapshot (``snapshots/<name>.sql``) holds a header (test, what it shows, the Query), then each
statement (clauses on their own lines) and its bound parameters as JSON. A change in the planner
shows up as a reviewable diff; ``pytest tests/sql --update-snapshots`` rewrites them. Every user
value (account, filter values, slice servers and channels, source, timezone, times) must be a
bound parameter, never SQL text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mediastats.query import DAY, FIVE_MINUTES, Bucket, Filter, Query, Scope, SliceScope, TimeRange, run_sync
from mediastats.query.run import plan, render
from mediastats.storage.base import Columns

SNAPSHOTS = Path(__file__).parent / "snapshots"
ACCOUNT = "acct_uservalue_7f3a"
START = datetime(2026, 3, 7, 8, 0, tzinfo=UTC)
TIME = TimeRange(START, START + timedelta(days=2))
USER_VALUES = (ACCOUNT, "chan_uservalue_news", "chan_uservalue_sport", "os_uservalue_beos", "srv_uservalue_1",
               "chan_uservalue_slice", "US/Pacific", str(int(START.timestamp())), str(int(START.timestamp() * 1000)))

KINDS = {  # one metric of each kind
    "by_ts": ("viewing_time_ms", "avg_buffer_ms"),
    "by_start": ("views", "unique_viewers"),
    "active": ("active_views",),
    "ratio": ("rebuffering_ratio",),
    "rate": ("bandwidth_bps",),
    "peak": ("active_views.max", "bandwidth_bps.p95"),
}
BUCKETS: dict[str, tuple[Bucket | None, str]] = {
    "total": (None, "UTC"), "fixed_5m": (FIVE_MINUTES, "UTC"), "day_pacific": (DAY, "US/Pacific"),
}
SHAPES: dict[str, dict[str, Any]] = {
    "plain": {},
    "filters": {"filters": (Filter("channel_id", ("chan_uservalue_news", "chan_uservalue_sport")),
                            Filter("os", ("os_uservalue_beos",), negate=True))},
    "slice": {"scope": Scope(ACCOUNT, (SliceScope(servers=("srv_uservalue_1",)),
                                       SliceScope(channels=("chan_uservalue_slice",))))},
    "source": {"source": "p2p"},
}


@dataclass
class RecordingStore:
    """Answers nothing, remembers every statement (peaks run their sub-bucket queries too)."""

    name: str = "recording"
    rollups: bool = False
    statements: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def query(self, sql: str, params: Any = None) -> Columns:
        self.statements.append((sql, dict(params or {})))
        return Columns((), [])


def _query(metrics: tuple[str, ...], bucket: Bucket | None, tz: str, **kw: Any) -> Query:
    base: dict[str, Any] = {"scope": Scope(ACCOUNT), "metrics": metrics, "time": TIME, "bucket": bucket,
                            "timezone": tz, "dimensions": ("channel_id",) if metrics else ()}
    return Query(**{**base, **kw})


CASES: dict[str, tuple[str, Query]] = {
    f"{kind}-{b}-{shape}": (f"{kind} metrics, {b} buckets, {shape} scope/filters",
                            _query(metrics, *BUCKETS[b], **SHAPES[shape]))
    for kind, metrics in KINDS.items() for b in BUCKETS for shape in SHAPES
}
CASES["listing"] = ("a listing: a dimension without metrics (entities with a value)",
                    _query((), None, "UTC", dimensions=("stream_uri",)))
CASES["span_class"] = ("views by view-duration class (sessions only)",
                       _query(("views", "active_views"), DAY, "US/Pacific", dimensions=("span_class",),
                              filters=(Filter("span_class", ("l5s",), negate=True),)))
CASES["ad_tag"] = ("ad funnel by ad tag (events only)",
                   _query(("ad_impressions", "conversion_rate"), None, "UTC", dimensions=("ad_tag",)))
CASES["bitrate_filter"] = ("a numeric dimension filtered as text",
                           _query(("views", "viewing_time_ms"), FIVE_MINUTES, "UTC",
                                  filters=(Filter("bitrate_kbps", ("1500",)),)))
CASES["week_month_sub_bucket"] = ("weeks in a zone, peaks over explicit hourly sub-buckets",
                                  _query(("active_views.avg", "views"), Bucket("week"), "US/Pacific",
                                         sub_bucket=Bucket("hour")))
# With rollups on (the store's flag): by-time parts read the rollups where they answer exactly.
ROLLUP_CASES: dict[str, tuple[str, Query]] = {
    "rollup-by_ts-hour-filters": (
        "rollups on: sums and a sample mean by channel, hourly buckets, filters (os is only on the "
        "hourly device rollup, so that one is read)",
        _query(("viewing_time_ms", "avg_buffer_ms", "bytes_total"), Bucket("hour"), "UTC", **SHAPES["filters"])),
    "rollup-rate-day_pacific-slice": (
        "rollups on: bandwidth by Pacific day in a slice scope, and ad_viewers (a distinct count) "
        "from raw events in its own statement",
        _query(("bandwidth_bps", "ad_viewers"), DAY, "US/Pacific", **SHAPES["slice"])),
    "rollup-peak-edges": (
        "rollups on: a range ending mid-minute (a now-relative window): whole hours from the hourly "
        "rollup, the partial last minute from raw events, in one sum; the peak's 5-minute sub-buckets "
        "from the 5-minute rollup",
        _query(("bytes_cdn", "bandwidth_bps.max"), Bucket("hour"), "UTC",
               time=TimeRange(START, START + timedelta(hours=5, seconds=17)))),
    "rollup-peaks-one-series": (
        "rollups on: Streamroot's bandwidth summary, four peaks of three bases over 5-minute "
        "sub-buckets read as one series statement (three arrays) from the 5-minute rollup",
        _query(("bandwidth_p2p_bps.avg", "bandwidth_cdn_bps.max", "bandwidth_p2p_bps.max", "bandwidth_bps.max",
                "bandwidth_p2p_bps.p95"), None, "UTC")),
    "rollup-listing": ("rollups on: a listing of stream_uri from the hourly streams rollup",
                       _query((), None, "UTC", dimensions=("stream_uri",))),
    # View metrics with rollups on read the sessions table (the matrix above, rollups off, reads
    # the same values from raw events).
    "rollup-by_start-day_pacific-filters": (
        "rollups on: views and uniques by Pacific day from the sessions table, filters",
        _query(KINDS["by_start"], DAY, "US/Pacific", **SHAPES["filters"])),
    "rollup-active-fixed_5m-slice": (
        "rollups on: concurrency per 5 minutes from the sessions table, slice scope",
        _query(KINDS["active"], FIVE_MINUTES, "UTC", **SHAPES["slice"])),
    "rollup-source": (
        "rollups on: views and time played of the views whose latest delivery is p2p (sessions table)",
        _query(("views", "viewing_time_ms"), None, "UTC", **SHAPES["source"])),
}
ROLLUP_TABLES = ("{db}.events", "{db}.session_facts_by_start", "{db}.rollup_")


def _pretty(sql: str) -> str:
    return re.sub(r" (FROM|WHERE|GROUP BY|HAVING) ", r"\n  \1 ", sql)


def snapshot_text(name: str, doc: str, query: Query, statements: list[tuple[str, dict[str, Any]]]) -> str:
    lines = [f"-- test: test_sql_snapshot[{name}]", f"-- {doc}", f"-- query: {query!r}", ""]
    for index, (sql, params) in enumerate(statements, 1):
        lines += [f"-- statement {index}", _pretty(sql) + ";", "-- params:",
                  json.dumps(params, sort_keys=True, ensure_ascii=False), ""]
    return "\n".join(lines)


def statements_of(query: Query, rollups: bool = False) -> list[tuple[str, dict[str, Any]]]:
    store = RecordingStore(rollups=rollups)
    run_sync(store, query)
    if not plan(query).peaks:
        assert store.statements == [(s.text, s.params) for s in render(plan(query, rollups=rollups))]
    return store.statements


def _case(name: str) -> tuple[str, Query, bool]:
    if name in ROLLUP_CASES:
        return (*ROLLUP_CASES[name], True)
    return (*CASES[name], False)


ALL_CASES = [*CASES, *ROLLUP_CASES]


@pytest.mark.parametrize("name", ALL_CASES)
def test_sql_snapshot(name: str, update_snapshots: bool) -> None:
    doc, query, rollups = _case(name)
    text = snapshot_text(name, doc, query, statements_of(query, rollups))
    path = SNAPSHOTS / f"{name}.sql"
    if update_snapshots:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text)
        return
    assert path.exists(), (
        f"no snapshot {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}; "
        "create it with `pytest tests/sql --update-snapshots` (and review the new file)"
    )
    assert text == path.read_text(), (
        f"the SQL of {name} changed; if that is intended, run `pytest tests/sql --update-snapshots` "
        "and review the diff"
    )


@pytest.mark.parametrize("name", ALL_CASES)
def test_user_values_are_bound_not_written(name: str) -> None:
    _, query, rollups = _case(name)
    statements = statements_of(query, rollups)
    assert statements
    for sql, params in statements:
        for value in USER_VALUES:
            assert value not in sql, f"{value!r} is in the SQL text of {name}"
        assert any(table in sql for table in ROLLUP_TABLES)
        assert params.get(next(k for k in params if k.startswith("acc"))) == ACCOUNT
    bound = json.dumps([p for _, p in statements])
    for shape in SHAPES.values():
        for f in shape.get("filters", ()):
            if query.filters and f in query.filters:
                assert all(v in bound for v in f.values)


def test_every_statement_starts_with_account_scope_and_time() -> None:
    """STYLE: every WHERE starts with account, then scope and time (the events table's order)."""
    for name in ALL_CASES:
        _, query, rollups = _case(name)
        for sql, _ in statements_of(query, rollups):
            for where in re.findall(r"WHERE (.{0,40})", sql):
                assert where.startswith("account_id = {acc"), where
