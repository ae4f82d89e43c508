"""Query SQL, built only here, from registry names and bound ``{name:Type}`` parameters.

Three shapes, one per metric family, each starting its WHERE with account, scope and time:

- events:   BY_TS metrics (and listings) straight from ``events``
- starts:   BY_START metrics over sessions whose first event is in the range
- active:   ACTIVE metrics over sessions whose span overlaps the range, exploded per bucket
- rollup:   BY_TS metrics (and listings) from hourly and 5-minute rollups, when
            ``rollups.choose`` says they answer exactly; partial minutes at the ends from ``events``
- series:   any bucketed one of these as two arrays per combination of dimensions (a peak's
            sub-bucket series, ``series_sql``)

View metrics (starts, active) read ``session_facts_by_start``, one plain row per view kept exact
at ingest (``storage/facts.py``) and sorted by view start: a metric is a sum of signs, so no view
is merged per query, and the primary key reads only the range's views. With
``raw=True`` (MEDIASTATS_ROLLUPS=0, the baseline bench/scale.py compares against; the reference
tests run both ways) each view is computed by plain SQL over the raw table, in two stages: the
sessions with an event in the hours of interest (plus a look-back for spans that started
earlier), then all the events of those sessions, merged into one (first event, last event,
earliest attributes, latest delivery).
Only portable SQL (see CLUSTER.md): no window functions, no WITH FILL, no server-side CTEs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mediastats.query.buckets import Grid, to_ms
from mediastats.query.dimensions import SPAN_CLASSES
from mediastats.query.metrics import Metric
from mediastats.query.query import Filter, Query, Scope, TimeRange
from mediastats.query.rollups import RollupRead, measures
from mediastats.storage.schema import ROLLUP_MEASURES, SESSION_FROM_EVENTS

# Spans that began this long before a range and are still running inside it are found.
LOOKBACK_MS = 24 * 3600 * 1000
_NUMERIC = {"bitrate_kbps"}


@dataclass
class Sql:
    text: str
    params: dict[str, Any] = field(default_factory=dict)
    # Output columns: "b" (bucket index) if bucketed, the dimensions, then the metrics.
    columns: tuple[str, ...] = ()
    # When set (the grid's length), each row holds the change of its metrics at bucket ``b``, and
    # the value of a bucket is the running total of the changes up to it (run.running_totals).
    running: int | None = None


class _Params:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def add(self, prefix: str, value: object, typ: str) -> str:
        name = f"{prefix}{len(self.values)}"
        self.values[name] = value
        return f"{{{name}:{typ}}}"


def _scope_sql(scope: Scope, p: _Params) -> str:
    if scope.is_everything:
        return ""
    parts = []
    for piece in scope.slices:
        conds = []
        if piece.servers:
            conds.append(f"server_id IN {p.add('srv', list(piece.servers), 'Array(String)')}")
        if piece.channels:
            conds.append(f"channel_id IN {p.add('chn', list(piece.channels), 'Array(String)')}")
        parts.append("(" + " AND ".join(conds) + ")")
    return " AND (" + " OR ".join(parts) + ")"


def _filter_sql(filters: Sequence[Filter], p: _Params) -> str:
    out = []
    for f in filters:
        column = f"toString({f.dimension})" if f.dimension in _NUMERIC else f.dimension
        if f.dimension == "span_class":
            column = _SPAN_SQL
        op = "NOT IN" if f.negate else "IN"
        out.append(f" AND {column} {op} {p.add('flt', list(f.values), 'Array(String)')}")
    return "".join(out)


_SPAN_SQL = (
    "multiIf("
    + ", ".join(f"last_ms - first_ms < {bound}, '{name}'" for bound, name in SPAN_CLASSES if bound is not None)
    + f", '{SPAN_CLASSES[-1][1]}')"
)


def _metric_select(m: Metric) -> str:
    # ClickHouse aliases are visible in the whole SELECT: ``sum(bytes_cdn) AS bytes_cdn`` would
    # make ``sum(bytes_cdn + bytes_p2p)`` an aggregate of an aggregate. Metric columns get their
    # own namespace; results are read by position.
    return f"{m.sql} AS m_{m.name}"


def _dim_select(dimensions: Sequence[str]) -> list[str]:
    return [f"{_SPAN_SQL} AS span_class" if d == "span_class" else d for d in dimensions]


@dataclass(frozen=True)
class _SessionRows:
    """Where a session's rows are read: the table, what each merged column is computed with,
    the condition for rows of some session, and the conditions "the row's hour starts at or
    after the hour of {t}" and "... at or before {t}" ({t}: a bound UInt32 of seconds)."""

    table: str
    merge: dict[str, str]
    has_session: str
    hours_from: str
    hours_to: str


# A session's events, by ``ts`` itself, so the sort key prunes the read (raw mode).
_RAW_SESSIONS = _SessionRows("{db}.events", SESSION_FROM_EVENTS, " AND session_id != ''",
                             "ts >= toStartOfHour(toDateTime({t}))", "ts < toStartOfHour(toDateTime({t})) + 3600")
_FACTS = "{db}.session_facts_by_start"


def events_sql(query: Query, grid: Grid | None, metrics: Sequence[Metric], *, raw: bool = False) -> Sql:
    p = _Params()
    head: list[str] = []
    params: dict[str, Any] = {}
    if grid is not None:
        index, params = grid.index_sql("ts_ms")
        head.append(f"{index} AS b")
    dims = _dim_select(query.dimensions)
    select = [*head, *dims, *(_metric_select(m) for m in metrics)]
    where = _events_where(query, p, raw=raw)
    group = (["b"] if grid is not None else []) + list(query.dimensions)
    text = f"SELECT {', '.join(select) or '1'} FROM {{db}}.events WHERE {where}"
    if group:
        text += f" GROUP BY {', '.join(group)}"
    if not metrics and query.dimensions:
        # A listing: entities with a value.
        text += " HAVING " + " OR ".join(f"toString({d}) != ''" for d in query.dimensions)
    columns = (("b",) if grid is not None else ()) + tuple(query.dimensions) + tuple(m.name for m in metrics)
    return Sql(text, {**params, **p.values}, columns)


def _events_where(query: Query, p: _Params, *, raw: bool = False) -> str:
    start_ms, end_ms = to_ms(query.time.start), to_ms(query.time.end)
    account = p.add("acc", query.scope.account_id, "String")
    where = (
        f"account_id = {account}"
        f" AND ts >= toDateTime({p.add('t', start_ms // 1000, 'UInt32')})"
        f" AND ts <= toDateTime({p.add('t', end_ms // 1000, 'UInt32')})"
        f" AND ts_ms >= {p.add('ms', start_ms, 'Int64')} AND ts_ms < {p.add('ms', end_ms, 'Int64')}"
    )
    where += _scope_sql(query.scope, p) + _filter_sql(query.filters, p)
    if query.source is not None:
        since_ms = max(start_ms - LOOKBACK_MS, 0)
        if raw:
            rows = _RAW_SESSIONS
            since = p.add("h", since_ms // 1000, "UInt32")
            where += (
                f" AND session_id IN (SELECT session_id FROM {rows.table} WHERE account_id = {account}"
                f"{rows.has_session} AND {rows.hours_from.format(t=since)} GROUP BY session_id"
                f" HAVING {rows.merge['delivery']} = {p.add('src', query.source, 'String')})"
            )
        else:  # the same sessions: a last event in the hour of ``since`` or later
            since = p.add("ms", since_ms // 3_600_000 * 3_600_000, "Int64")
            where += (
                f" AND session_id IN (SELECT session_id FROM {_FACTS} WHERE account_id = {account}"
                f" AND last_ms >= {since} AND delivery = {p.add('src', query.source, 'String')}"
                " GROUP BY session_id HAVING sum(sign) > 0)"
            )
    return where


# A rollup row's period start as epoch ms, for ``Grid.index_sql``.
_PERIOD_MS = "(toInt64(toUInt32(period)) * 1000)"


def rollup_sql(query: Query, grid: Grid | None, metrics: Sequence[Metric], read: RollupRead) -> Sql:
    """The ``events_sql`` answer read piece by piece: rollup rows for whole periods and, for the
    partial minutes at the ends, the rollups' own aggregates over raw events, summed together."""
    p = _Params()
    params: dict[str, Any] = {}

    def head(column_ms: str) -> list[str]:
        if grid is None:
            return []
        index, grid_params = grid.index_sql(column_ms)
        params.update(grid_params)
        return [f"{index} AS b"]

    dims = list(query.dimensions)
    group = (["b"] if grid is not None else []) + dims
    values = [f"{m.rollup} AS m_{m.name}" for m in metrics]
    columns = measures(metrics)
    aggregates = [f"{expr} AS {name}" for name, _, expr in ROLLUP_MEASURES if name in columns]
    parts = []
    for piece in read.pieces:
        if piece.rollup is None:
            where = _events_where(replace(query, time=piece.time), p)
            part = f"SELECT {', '.join([*head('ts_ms'), *dims, *aggregates])} FROM {{db}}.events WHERE {where}"
            parts.append(part + (f" GROUP BY {', '.join(group)}" if group else ""))
        else:
            table = f"{{db}}.{piece.rollup.table.name} WHERE {_rollup_where(query, piece.time, p)}"
            selected = values if len(read.pieces) == 1 else columns
            parts.append(f"SELECT {', '.join([*head(_PERIOD_MS), *dims, *selected])} FROM {table}")
    # One rollup piece is read directly; several are a sum over their union.
    text = parts[0] if len(parts) == 1 else f"SELECT {', '.join([*group, *values])} FROM ({' UNION ALL '.join(parts)})"
    if group:
        text += f" GROUP BY {', '.join(group)}"
    if not metrics:
        text += " HAVING " + " OR ".join(f"toString({d}) != ''" for d in dims)
    names = (("b",) if grid is not None else ()) + tuple(dims) + tuple(m.name for m in metrics)
    return Sql(text, {**params, **p.values}, names)


def _rollup_where(query: Query, time: TimeRange, p: _Params) -> str:
    account = p.add("acc", query.scope.account_id, "String")
    return (
        f"account_id = {account}"
        f" AND period >= toDateTime({p.add('t', to_ms(time.start) // 1000, 'UInt32')})"
        f" AND period < toDateTime({p.add('t', to_ms(time.end) // 1000, 'UInt32')})"
        + _scope_sql(query.scope, p) + _filter_sql(query.filters, p)
    )


def _merged_sessions(query: Query, p: _Params, *, active: bool, extra: Sequence[str]) -> str:
    """One row per session that starts in (or, if ``active``, overlaps) the range, merged from
    its events (raw mode)."""
    start_ms, end_ms = to_ms(query.time.start), to_ms(query.time.end)
    account = p.add("acc", query.scope.account_id, "String")
    first_hour = max(start_ms - (LOOKBACK_MS if active else 0), 0) // 1000
    wanted = dict.fromkeys(
        ["first_ms", "last_ms", *extra, *(d for d in query.dimensions if d != "span_class")]
    )
    for f in query.filters:
        if f.dimension != "span_class":
            wanted[f.dimension] = None
    if not query.scope.is_everything:
        wanted.update({"server_id": None, "channel_id": None})
    if query.source is not None:
        wanted["delivery"] = None
    rows = _RAW_SESSIONS
    merged = ", ".join(f"{rows.merge[c]} AS {c}" for c in wanted)
    span = (
        f"first_ms < {p.add('ms', end_ms, 'Int64')} AND last_ms >= {p.add('ms', start_ms, 'Int64')}"
        if active
        else f"first_ms >= {p.add('ms', start_ms, 'Int64')} AND first_ms < {p.add('ms', end_ms, 'Int64')}"
    )
    having = span + _scope_sql(query.scope, p) + _filter_sql(query.filters, p)
    if query.source is not None:
        having += f" AND delivery = {p.add('src', query.source, 'String')}"
    return (
        f"SELECT session_id, {merged} FROM {rows.table} WHERE account_id = {account}{rows.has_session}"
        f" AND session_id IN (SELECT session_id FROM {rows.table} WHERE account_id = {account}{rows.has_session}"
        f" AND {rows.hours_from.format(t=p.add('h', first_hour, 'UInt32'))}"
        f" AND {rows.hours_to.format(t=p.add('h', end_ms // 1000, 'UInt32'))})"
        f" GROUP BY session_id HAVING {having}"
    )


def starts_sql(query: Query, grid: Grid | None, metrics: Sequence[Metric], *, raw: bool = False) -> Sql:
    p = _Params()
    head: list[str] = []
    params: dict[str, Any] = {}
    if grid is not None:
        index, params = grid.index_sql("first_ms")
        head.append(f"{index} AS b")
    if not raw:
        return _facts_sql(query, grid, metrics, head, p, params, active=False)
    extra = [c for m in metrics for c in _session_columns(m)]
    inner = _merged_sessions(query, p, active=False, extra=extra)
    return _outer(query, grid, metrics, inner, head, {**params, **p.values})


def active_sql(query: Query, grid: Grid | None, metrics: Sequence[Metric], *, raw: bool = False) -> Sql:
    p = _Params()
    if not raw and grid is not None and all(m.facts == "sum(f_n)" for m in metrics):
        return _active_changes_sql(query, grid, metrics, p)
    if not raw:
        head, params = _active_head(grid, p)
        return _facts_sql(query, grid, metrics, head, p, params, active=True)
    inner = _merged_sessions(query, p, active=True, extra=[])
    head, params = _active_head(grid, p)
    return _outer(query, grid, metrics, inner, head, {**params, **p.values})


def _span_buckets(grid: Grid, p: _Params) -> tuple[str, str, dict[str, Any]]:
    """The first and last bucket of the grid a view's span overlaps, clamped to the grid."""
    lo, params = grid.index_sql("first_ms")
    hi, _ = grid.index_sql("last_ms")
    last = p.add("n", len(grid) - 1, "Int64")
    return f"greatest({lo}, 0)", f"least({hi}, {last})", params


def _active_head(grid: Grid | None, p: _Params) -> tuple[list[str], dict[str, Any]]:
    """Each session once per bucket its span overlaps (``b``), or nothing without buckets."""
    if grid is None:
        return [], {}
    first, final, params = _span_buckets(grid, p)
    # range(lo, hi) is not on old servers: shift range(n) instead.
    return [f"arrayJoin(arrayMap(i -> toInt64(i) + {first}, range(toUInt64({final} - {first} + 1)))) AS b"], params


def _active_changes_sql(query: Query, grid: Grid, metrics: Sequence[Metric], p: _Params) -> Sql:
    """Views active per bucket as changes: each view +1 at its first bucket and −1 after its last
    (dropped past the grid), summed per bucket; the runner adds them up. Two rows a view instead
    of one per bucket it spans (a 90-minute view is 45 two-minute buckets)."""
    first, final, params = _span_buckets(grid, p)
    where = _facts_where(query, p, active=True)
    # arrayJoin of [0, 1]: the start and the end of each view from one read of the table.
    head = [f"if(edge = 0, {first}, {final} + 1) AS b", *_dim_select(query.dimensions),
            "if(edge = 0, sign, -sign) AS change"]
    keys = ["b", *query.dimensions]
    inner = f"SELECT {', '.join(head)} FROM {_FACTS} ARRAY JOIN [0, 1] AS edge WHERE {where}"
    text = (f"SELECT {', '.join(keys)}, {', '.join(f'sum(change) AS m_{m.name}' for m in metrics)}"
            f" FROM ({inner}) GROUP BY {', '.join(keys)}")
    columns = ("b", *query.dimensions, *(m.name for m in metrics))
    return Sql(text, {**params, **p.values}, columns, running=len(grid))


def _facts_where(query: Query, p: _Params, *, active: bool) -> str:
    """The standing rows of the account's views that overlap (``active``) or start in the range."""
    start_ms, end_ms = to_ms(query.time.start), to_ms(query.time.end)
    account = p.add("acc", query.scope.account_id, "String")
    start, end = p.add("ms", start_ms, "Int64"), p.add("ms", end_ms, "Int64")
    span = f"first_ms < {end} AND last_ms >= {start}" if active else f"first_ms >= {start} AND first_ms < {end}"
    where = f"account_id = {account} AND {span}" + _scope_sql(query.scope, p) + _filter_sql(query.filters, p)
    if query.source is not None:
        where += f" AND delivery = {p.add('src', query.source, 'String')}"
    return where


def _facts_sql(
    query: Query, grid: Grid | None, metrics: Sequence[Metric], head: list[str], p: _Params,
    params: dict[str, Any], *, active: bool,
) -> Sql:
    """View metrics from ``session_facts_by_start``: rows summed by sign, no per-session merge. The inner
    query groups the standing views per output row (and per viewer when a metric counts viewers),
    the outer applies each metric's ``facts`` aggregate; rows left with no standing view drop out."""
    where = _facts_where(query, p, active=active)
    keys = (["b"] if grid is not None else []) + list(query.dimensions)
    per_viewer = any("f_n >" in m.facts for m in metrics)
    # A viewer by the 16-byte hash uniqExact keeps of a string (schema.SESSION_FACTS_BY_START).
    inner_keys = keys + (["viewer_key"] if per_viewer else [])
    select = [*head, *_dim_select(query.dimensions), *(["viewer_key"] if per_viewer else []),
              "sum(sign) AS f_n", "sum(sign * toInt64(played_ms)) AS f_played"]
    inner = f"SELECT {', '.join(select)} FROM {_FACTS} WHERE {where}"
    if inner_keys:
        inner += f" GROUP BY {', '.join(inner_keys)} HAVING f_n > 0"
    outer = [*keys, *(f"{m.facts} AS m_{m.name}" for m in metrics)]
    text = f"SELECT {', '.join(outer)} FROM ({inner})"
    if keys:
        text += f" GROUP BY {', '.join(keys)}"
    columns = (("b",) if grid is not None else ()) + tuple(query.dimensions) + tuple(m.name for m in metrics)
    return Sql(text, {**params, **p.values}, columns)


def _outer(
    query: Query, grid: Grid | None, metrics: Sequence[Metric], inner: str, head: list[str],
    params: dict[str, Any],
) -> Sql:
    select = [*head, *_dim_select(query.dimensions), *(_metric_select(m) for m in metrics)]
    group = (["b"] if grid is not None else []) + list(query.dimensions)
    text = f"SELECT {', '.join(select)} FROM ({inner})"
    if group:
        text += f" GROUP BY {', '.join(group)}"
    columns = (("b",) if grid is not None else ()) + tuple(query.dimensions) + tuple(m.name for m in metrics)
    return Sql(text, params, columns)


def series_sql(statement: Sql, metrics: Sequence[str], dimensions: Sequence[str]) -> Sql:
    """A bucketed statement's ``metrics`` as rows (*dimensions, [b, …], [value, …] per metric):
    one row per combination of dimensions (exactly one without dimensions, its arrays empty when
    the store has nothing), for peaks' sub-bucket series (query/peaks.py). Arrays of a 90-day
    series are read ten times faster than a row per sub-bucket."""
    keys = ", ".join(dimensions)
    values = ", ".join(f"groupArray(m_{m}) AS vs_{m}" for m in metrics)
    text = (f"SELECT {keys + ', ' if keys else ''}groupArray(b) AS bs, {values}"
            f" FROM ({statement.text})" + (f" GROUP BY {keys}" if keys else ""))
    return Sql(text, statement.params, (*dimensions, "bs", *(f"vs_{m}" for m in metrics)), running=statement.running)


def _session_columns(m: Metric) -> list[str]:
    return [c for c in ("viewer", "played_ms", "rebuffer_ms") if c in m.sql]
