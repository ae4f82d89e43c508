"""Running a Query, as a short list of named steps (Plausible's query_runner):

    validate → plan → render → execute → merge → fill → derive → trim → order/page

Ratios, rates and peaks are derived here from the stored parts, so every door gets the same
arithmetic (a peak's sub-bucket series is held dense, per combination: query/peaks.py).
Empty buckets are filled in Python (the portable SQL subset has no WITH FILL).
Whether by-time parts read the rollups or raw events is decided in ``rollups.choose``,
called from ``render``; the store's ``rollups`` flag (``MEDIASTATS_ROLLUPS``) turns that off, and
then view metrics too are computed from raw events (``sql.py``), not from the sessions table.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from operator import add, itemgetter
from typing import Any

from mediastats.query import peaks
from mediastats.query.buckets import Grid, grid, utc_from_ms, zone
from mediastats.query.dimensions import dimension
from mediastats.query.errors import QueryError
from mediastats.query.metrics import Kind, Metric, metric, stored_parts
from mediastats.query.query import Bucket, Query
from mediastats.query.result import Result
from mediastats.query.rollups import choose, split
from mediastats.query.sql import Sql, active_sql, events_sql, rollup_sql, series_sql, starts_sql
from mediastats.storage.base import Storage

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Plan:
    query: Query
    grid: Grid | None
    requested: tuple[Metric, ...]
    stored: dict[Kind, tuple[Metric, ...]]
    peaks: tuple[Metric, ...]
    # May by-time parts be read from the 5-minute and hourly rollups (where they answer exactly)?
    rollups: bool = False


# What the store's DateTime columns can hold (the range is bound as UInt32 seconds).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2106, 1, 1, tzinfo=UTC)
UNITS = ("second", "minute", "hour", "day", "week", "month")
SOURCES = ("cdn", "p2p", "not_compatible")


def validate(query: Query) -> None:
    if not query.scope.account_id:
        raise QueryError("account", "a query needs an account")
    if query.time.start.tzinfo is None or query.time.end.tzinfo is None:
        raise QueryError("date_range", "the range needs timezone-aware times")
    if query.time.end <= query.time.start:
        raise QueryError("date_range", "the range must end after it starts")
    if query.time.start < EARLIEST or query.time.end > LATEST:
        raise QueryError("date_range", "the range must lie between 1970-01-01 and 2106-01-01")
    zone(query.timezone)
    for param, bucket in (("interval", query.bucket), ("sub_bucket", query.sub_bucket)):
        if bucket is not None and (bucket.unit not in UNITS or not isinstance(bucket.count, int) or bucket.count < 1):
            raise QueryError(param, f"{bucket.count!r} × {bucket.unit!r} is not a bucket: N ≥ 1 of {', '.join(UNITS)}")
    if query.source is not None and query.source not in SOURCES:
        raise QueryError("source", f"source {query.source!r} is not one of {', '.join(SOURCES)}")
    if query.rate_seconds is not None and not query.rate_seconds > 0:
        raise QueryError("rate_seconds", "the rate divisor must be a positive number of seconds")
    for name in query.dimensions:
        dimension(name)
    for f in query.filters:
        dimension(f.dimension, "filters")
        if not all(isinstance(v, str) for v in f.values):
            raise QueryError("filters", f"the values of a {f.dimension!r} filter must be strings")
    for name, direction in query.order_by:
        if name not in (*query.metrics, *query.dimensions, "bucket_ms"):
            raise QueryError("order_by", f"cannot order by {name!r}: it is not a requested metric or dimension")
        if direction not in ("asc", "desc"):
            raise QueryError("order_by", f"order {direction!r} is not asc or desc")
    if query.limit is not None and query.limit < 0:
        raise QueryError("limit", "limit must be >= 0")
    if query.offset < 0:
        raise QueryError("page", "page must be >= 1")


def plan(query: Query, *, rollups: bool = False) -> Plan:
    validate(query)
    requested = tuple(metric(name) for name in query.metrics)
    stored: dict[Kind, dict[str, Metric]] = {Kind.BY_TS: {}, Kind.BY_START: {}, Kind.ACTIVE: {}}
    for m in requested:
        for part in stored_parts(m):
            stored[part.kind][part.name] = part
    peaks = tuple(m for m in requested if m.kind is Kind.PEAK)
    session_only = [d for d in query.dimensions if not dimension(d).on_events]
    event_only = [d for d in (*query.dimensions, *(f.dimension for f in query.filters)) if not dimension(d).on_sessions]
    if session_only and (stored[Kind.BY_TS] or not requested):
        raise QueryError("dimensions", f"{session_only[0]!r} applies to views, not to by-time metrics")
    if event_only and (stored[Kind.BY_START] or stored[Kind.ACTIVE] or peaks):
        raise QueryError("dimensions", f"{event_only[0]!r} applies to events, not to view metrics")
    the_grid = grid(query.bucket, query.time, query.timezone) if query.bucket else None
    for sub in {peak_sub_bucket(query, the_grid, m) for m in peaks}:
        # The sub-bucket grid counts against the point cap too; fail here, before any statement.
        grid(sub, query.time, query.timezone, "sub_bucket" if query.sub_bucket else "date_range")
    return Plan(
        query=query,
        grid=the_grid,
        requested=requested,
        stored={k: tuple(v.values()) for k, v in stored.items()},
        peaks=peaks,
        rollups=rollups,
    )


def render(p: Plan) -> list[Sql]:
    q, g = p.query, p.grid
    statements = []
    if p.stored[Kind.BY_TS] or not p.requested:
        statements += by_ts_statements(p)
    raw = not p.rollups
    if p.stored[Kind.BY_START]:
        statements.append(starts_sql(q, g, p.stored[Kind.BY_START], raw=raw))
    if p.stored[Kind.ACTIVE]:
        statements.append(active_sql(q, g, p.stored[Kind.ACTIVE], raw=raw))
    return statements


def by_ts_statements(p: Plan) -> list[Sql]:
    """The by-time metrics (or a listing): from a rollup where one answers exactly, the rest
    (distinct counts) from raw events; all of them from raw events when rollups are off."""
    q, g = p.query, p.grid
    held, rest = split(p.stored[Kind.BY_TS])
    read = choose(q, g, held) if p.rollups and (held or not p.requested) else None
    if read is None:
        return [events_sql(q, g, p.stored[Kind.BY_TS], raw=not p.rollups)]
    return [rollup_sql(q, g, held, read), *([events_sql(q, g, rest)] if rest else [])]


def execute(storage: Storage, statements: Iterable[Sql]) -> list[tuple[Sql, list[tuple[Any, ...]]]]:
    return [(s, storage.query(s.text, s.params).rows) for s in statements]


def running_totals(changes: list[tuple[Any, ...]], buckets: int, *, dimensions: int) -> list[tuple[Any, ...]]:
    """Rows (b, *dimensions, *changes), one per bucket and combination of dimensions, turned into
    (b, *dimensions, *values): a bucket's values are the sums of its combination's changes at or
    before it. Only buckets below ``buckets`` with some non-zero value come back (as from a
    GROUP BY: no row, no views)."""
    by_combo: dict[Key, list[tuple[Any, ...]]] = {}
    for row in changes:
        by_combo.setdefault(row[1:1 + dimensions], []).append(row)
    out: list[tuple[Any, ...]] = []
    for combo, rows in by_combo.items():
        rows.sort(key=itemgetter(0))
        ends = [row[0] for row in rows[1:]] + [buckets]
        total = (0,) * (len(rows[0]) - 1 - dimensions)
        for row, end in zip(rows, ends, strict=True):
            b = row[0]
            if b >= buckets:
                break
            total = tuple(map(add, total, row[1 + dimensions:]))
            if any(total):
                values = (*combo, *total)
                out.extend((index, *values) for index in range(b, min(end, buckets)))
    return out


def merge(p: Plan, answers: list[tuple[Sql, list[tuple[Any, ...]]]]) -> dict[Key, dict[str, Any]]:
    """Rows of every statement, keyed by (bucket index?, *dimension values)."""
    width = (1 if p.grid is not None else 0) + len(p.query.dimensions)
    table: dict[Key, dict[str, Any]] = {}
    for sql, rows in answers:
        if sql.running is not None:  # per-bucket changes: bucketed, so the key is (b, *dimensions)
            rows = running_totals(rows, sql.running, dimensions=width - 1)
        names = sql.columns[width:]
        for row in rows:
            key = tuple(row[:width])
            values = table.setdefault(key, {})
            for name, value in zip(names, row[width:], strict=True):
                values[name] = 0 if value is None or (isinstance(value, float) and math.isnan(value)) else value
    return table


def fill(p: Plan, table: dict[Key, dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    """Every bucket of the grid for every dimension combination seen (0 where no data)."""
    zero = {m.name: 0 for kind in p.stored.values() for m in kind}
    if p.grid is None:
        if not table and not p.query.dimensions and p.requested:
            table[()] = dict(zero)
        for values in table.values():
            for name, z in zero.items():
                values.setdefault(name, z)
        return table
    if not p.query.fill:
        return {k: {**zero, **v} for k, v in table.items()}
    combos = {key[1:] for key in table} or ({()} if not p.query.dimensions else set())
    filled: dict[Key, dict[str, Any]] = {}
    for index in range(len(p.grid)):
        for combo in sorted(combos, key=lambda c: tuple(str(x) for x in c)):
            key = (index, *combo)
            filled[key] = {**zero, **table.get(key, {})}
    return filled


def derive(p: Plan, table: dict[Key, dict[str, Any]], peak_tables: dict[str, dict[Key, float]]) -> None:
    derived = [m for m in p.requested if m.kind in (Kind.RATIO, Kind.RATE, Kind.PEAK)]
    if not derived:
        return
    rates = any(m.kind is Kind.RATE for m in derived)
    for key, values in table.items():
        seconds = _rate_seconds(p, key) if rates else 0.0
        for m in derived:
            if m.kind is Kind.RATIO:
                num, den = (values.get(n, 0) for n in m.parts)
                if m.name == "rebuffering_ratio":
                    den = num + den
                values[m.name] = (num / den * m.factor) if num and den else 0.0
            elif m.kind is Kind.RATE:
                values[m.name] = values.get(m.parts[0], 0) * 8 / seconds if seconds else 0.0
            elif m.kind is Kind.PEAK:
                values[m.name] = peak_tables[m.name].get(key, 0.0)


def _rate_seconds(p: Plan, key: Key) -> float:
    if p.query.rate_seconds:
        return p.query.rate_seconds
    if p.grid is not None:
        return p.grid.seconds(key[0])
    return (p.query.time.end - p.query.time.start).total_seconds()


def peak_sub_bucket(query: Query, outer: Grid | None, m: Metric) -> Bucket:
    """The sub-buckets a peak is taken over: the query's, else the metric's default, never longer
    than a fixed outer bucket."""
    sub = query.sub_bucket or m.sub_bucket or Bucket("minute", 5)
    if outer is not None and outer.bucket.seconds is not None and sub.seconds and sub.seconds > outer.bucket.seconds:
        return outer.bucket
    return sub


# One base metric's sub-bucket series (peaks.dense_series) and the runs of sub-buckets per outer
# bucket, shared by the peaks of one base (max, avg, p95).
Inner = tuple[dict[Key, list[float]], list[tuple[int | None, int, int]], int]


def peak_values(p: Plan, m: Metric, inner_runs: dict[tuple[str, Bucket], Inner]) -> dict[Key, float]:
    """``max|avg|p95`` of a base metric over sub-buckets, keyed like the outer table, from the
    sub-bucket series read for it (``inner_runs``, by base and sub-bucket: ``sub_series``).
    Every sub-bucket of the range counts, 0 where the store had no row, for every combination
    the series holds."""
    base, agg = m.parts
    series, runs, length = inner_runs[(base, peak_sub_bucket(p.query, p.grid, m))]
    return peaks.peaks(series, runs, agg, length, dimensions=len(p.query.dimensions))


def sub_series(storage: Storage, p: Plan, bases: tuple[str, ...], sub: Bucket) -> dict[str, Inner]:
    """The sub-bucket series of every base in ``bases``, from the bases' own plan executed once
    (a statement per family, as for any query), each held dense per combination (query/peaks.py)."""
    inner_plan = plan(replace(
        p.query, metrics=bases, bucket=sub, sub_bucket=None, order_by=(), limit=None, offset=0,
        rate_seconds=None, fill=True, keep_empty=True,
    ), rollups=p.rollups)
    sub_grid = inner_plan.grid
    assert sub_grid is not None
    runs = peaks.outer_runs(sub_grid, p.grid)
    # Every peakable base is one stored metric, or a rate of one.
    stored = {m.name: stored_parts(m)[0].name for m in inner_plan.requested}
    series: dict[str, dict[Key, list[float]]] = {}
    for statement in render(inner_plan):
        names = [name for name in dict.fromkeys(stored.values()) if name in statement.columns]
        if not names:
            continue
        sql = series_sql(statement, names, p.query.dimensions)
        rows = storage.query(sql.text, sql.params).rows
        dense = peaks.dense_series(rows, dimensions=len(p.query.dimensions), metrics=len(names),
                                   length=len(sub_grid), running=sql.running is not None)
        series.update(zip(names, dense, strict=True))
    out: dict[str, Inner] = {}
    factors: list[float] = []  # a rate's factor per sub-bucket, 8 ÷ its seconds, made once
    for m in inner_plan.requested:
        values = series.get(stored[m.name], {})
        if m.kind is Kind.RATE:
            step = sub_grid.bucket.seconds
            factors = factors or ([8 / step] * len(sub_grid) if step
                                  else [8 / sub_grid.seconds(i) for i in range(len(sub_grid))])
            values = peaks.scaled(values, factors)
        out[m.name] = (values, runs, len(sub_grid))
    return out


def trim(p: Plan, table: dict[Key, dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    """Listings and summaries show only entities with data (CONTRACT §4); so does a bucketed
    query with ``fill=False`` (only the buckets where some requested metric is non-zero)."""
    if p.query.keep_empty or not p.requested:
        return table
    if (p.query.fill if p.grid is not None else not p.query.dimensions):
        return table
    names = [m.name for m in p.requested]
    return {k: v for k, v in table.items() if any(map(v.get, names))}


def to_result(p: Plan, table: dict[Key, dict[str, Any]]) -> Result:
    q = p.query
    rows: list[dict[str, Any]] = []
    moments: dict[int, datetime] = {}  # one datetime per bucket, not per row
    for key, values in table.items():
        row: dict[str, Any] = {}
        offset = 0
        if p.grid is not None:
            start = p.grid.starts[key[0]]
            row["bucket_ms"] = start
            moment = moments.get(start)
            if moment is None:
                moment = moments[start] = utc_from_ms(start)
            row["bucket"] = moment
            offset = 1
        for name, value in zip(q.dimensions, key[offset:], strict=True):
            row[name] = value
        for m in p.requested:
            row[m.name] = values.get(m.name, 0)
        rows.append(row)
    rows = order(q, rows)
    total = len(rows)
    if q.offset or q.limit is not None:
        rows = rows[q.offset : None if q.limit is None else q.offset + q.limit]
    return Result(query=q, rows=rows, total=total, grid=p.grid)


def order(q: Query, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = [("bucket_ms", "asc")] if q.bucket and not q.order_by else []
    keys += list(q.order_by) or [(d, "asc") for d in q.dimensions]
    for name, direction in reversed(keys):
        rows.sort(key=_row_key(name, rows), reverse=direction == "desc")
    return rows


def _row_key(name: str, rows: list[dict[str, Any]]) -> Callable[[dict[str, Any]], Any]:
    """The sort key of column ``name``: numbers before text, None as text. A column of only
    numbers, or only strings, sorts by its values themselves (a 20,000-row answer sorted three
    times spent most of its sort in the general key)."""
    values = [row.get(name) for row in rows]
    if all(type(v) is int or type(v) is float for v in values) or all(type(v) is str for v in values):
        return itemgetter(name)
    return lambda row: _sort_key(row.get(name))


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, value) if isinstance(value, int | float) else (1, str(value))


def run_sync(storage: Storage, query: Query) -> Result:
    p = plan(query, rollups=storage.rollups)
    # One read of the sub-bucket series per sub-bucket size, for all the bases peaked over it.
    by_sub: dict[Bucket, dict[str, None]] = {}
    for m in p.peaks:
        by_sub.setdefault(peak_sub_bucket(p.query, p.grid, m), {})[m.parts[0]] = None
    inner_runs = {(base, sub): inner for sub, bases in by_sub.items()
                  for base, inner in sub_series(storage, p, tuple(bases), sub).items()}
    peak_tables = {m.name: peak_values(p, m, inner_runs) for m in p.peaks}
    table = merge(p, execute(storage, render(p)))
    for values in peak_tables.values():
        for key in values:
            table.setdefault(key, {})
    table = fill(p, table)
    derive(p, table, peak_tables)
    return to_result(p, trim(p, table))


async def run_query(storage: Storage, query: Query) -> Result:
    """Run ``query`` off the event loop (the store call blocks)."""
    return await asyncio.to_thread(run_sync, storage, query)
