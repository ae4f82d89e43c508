"""Tables of the analytics store, written once; each backend renders its own DDL from them.

``events`` holds every accepted event, one row each, with its session attributes filled in at
ingest (so by-time metrics can group by them) and the vendor vocabularies derived once.
``sessions`` is fed by a materialized view: one row per account × hour × session with the states
that make a view (first/last event, earliest attribute values, latest delivery), so view counts,
concurrency and device counts read sessions, not every heartbeat.
``session_facts`` holds each view as one plain row (the sessions table's states merged), kept exact
at ingest by cancelling rows: view metrics sum signs instead of merging states per query.
``rollup_*`` (``ROLLUPS``) are 5-minute and hourly sums of ``events`` by sets of dimensions,
for by-time metrics (the planner's choice is ``query/rollups.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

S = "String"
LC = "LowCardinality(String)"

# Attributes of a session: (column, kind). "first" = the earliest event carrying it wins,
# "last" = the latest value wins (CONTRACT §3).
SESSION_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("viewer", S, "first"),
    ("server_id", S, "first"),
    ("server_name", S, "first"),
    ("channel_id", S, "first"),
    ("stream_id", S, "first"),
    ("stream_uri", S, "first"),
    ("content_id", S, "first"),
    ("content_name", S, "first"),
    ("series_name", S, "first"),
    ("studio", S, "first"),
    ("content_type", LC, "first"),
    ("protocol", LC, "first"),
    ("player", LC, "first"),
    ("browser", LC, "first"),
    ("os", LC, "first"),
    ("device_type", LC, "first"),
    ("device_name", LC, "first"),
    ("platform", LC, "first"),
    ("connection_type", LC, "first"),
    ("country", LC, "first"),
    ("city", S, "first"),
    ("wms_player", LC, "first"),
    ("wms_device", LC, "first"),
    ("s73_os", LC, "first"),
    ("s73_platform", LC, "first"),
    ("s73_connection", LC, "first"),
    ("amagi_device_type", LC, "first"),
    ("amagi_device_name", LC, "first"),
    ("sr_platform", LC, "first"),
    ("delivery", LC, "last"),
    ("bitrate_kbps", "UInt32", "last"),
    ("representation_id", S, "last"),
)

EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("account_id", LC),
    ("ts", "DateTime('UTC')"),
    ("ts_ms", "Int64"),
    ("received_ms", "Int64"),
    ("type", LC),
    ("event_id", S),
    ("session_id", S),
    ("viewer_id", S),
    ("ip", S),
    ("user_agent", S),
    *((name, typ) for name, typ, _ in SESSION_COLUMNS),
    ("played_ms", "UInt64"),
    ("rebuffer_ms", "UInt64"),
    ("bytes_cdn", "UInt64"),
    ("bytes_p2p", "UInt64"),
    ("dropped_frames", "Nullable(UInt64)"),
    ("buffer_ms", "Nullable(Float64)"),
    ("buffer_fill_rate", "Nullable(Float64)"),
    ("request_rtt_ms", "Nullable(Float64)"),
    ("ad_tag", S),
    ("ad_id", S),
    ("ad_duration_ms", "Float64"),
    ("remote_ip", S),
    ("publish_type", LC),
)
EVENT_COLUMN_NAMES = tuple(name for name, _ in EVENT_COLUMNS)

# Compression codecs of ``events`` on chdb (migration 3; ClickHouse 18.16 has no CODEC, so the
# server/cluster DDL stays without). Measured on 2 M generated events (bench/scale.py data,
# OPTIMIZE FINAL): 53.4 → 26.0 bytes per event. Times are sorted within a channel-day, so Delta
# leaves small steps (DoubleDelta measured worse: jitter makes the steps irregular); counters
# shrink with T64 first; strings compress ~2× better with ZSTD(3) than with the default LZ4 and
# than ZSTD(1), at no measured insert cost; the rest takes ZSTD(1).
_TIME_CODEC = "Delta, ZSTD(1)"
_COUNTER_CODEC = "T64, ZSTD(1)"
EVENT_CODECS: dict[str, str] = {
    **{name: _TIME_CODEC for name in ("ts", "ts_ms", "received_ms")},
    **{name: _COUNTER_CODEC for name in ("played_ms", "rebuffer_ms", "bytes_cdn", "bytes_p2p")},
    **{name: "ZSTD(3)" for name, typ in EVENT_COLUMNS if typ == S},
    **{
        name: "ZSTD(1)" for name, typ in EVENT_COLUMNS
        if typ == LC or name in ("bitrate_kbps", "dropped_frames", "buffer_ms", "buffer_fill_rate",
                                 "request_rtt_ms", "ad_duration_ms")
    },
}


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]
    engine: str
    order_by: str
    partition_by: str | None = None
    # Engine parameters after any replication ones (CollapsingMergeTree's sign column).
    engine_args: tuple[str, ...] = ()


def _session_state(name: str, typ: str, kind: str) -> tuple[str, str]:
    base = "String" if typ.startswith("LowCardinality") else typ
    if kind == "first":
        return name, f"AggregateFunction(argMinIf, {base}, Int64, UInt8)"
    return name, f"AggregateFunction(argMaxIf, {base}, Int64, UInt8)"


EVENTS = Table(
    name="events",
    columns=EVENT_COLUMNS,
    engine="MergeTree",
    order_by="(account_id, toDate(ts), channel_id, ts)",
    partition_by="toYYYYMM(ts)",
)

SESSIONS = Table(
    name="sessions",
    columns=(
        ("account_id", "String"),
        ("hour", "DateTime('UTC')"),
        ("session_id", "String"),
        ("first_ms", "AggregateFunction(min, Int64)"),
        ("last_ms", "AggregateFunction(max, Int64)"),
        ("played_ms", "AggregateFunction(sum, UInt64)"),
        ("rebuffer_ms", "AggregateFunction(sum, UInt64)"),
        *(_session_state(n, t, k) for n, t, k in SESSION_COLUMNS),
    ),
    engine="AggregatingMergeTree",
    order_by="(account_id, hour, session_id)",
    partition_by="toYYYYMM(hour)",
)


def _attribute_aggregate(name: str, typ: str, kind: str, suffix: str = "") -> str:
    """A session attribute from its events: the earliest (``first``) or latest (``last``)
    non-empty value; ``suffix`` "State" for the view's aggregate state."""
    empty = "0" if typ == "UInt32" else "''"
    fn = ("argMinIf" if kind == "first" else "argMaxIf") + suffix
    col = name if not typ.startswith("LowCardinality") else f"toString({name})"
    return f"{fn}({col}, ts_ms, {name} != {empty})"


def _state_expr(name: str, typ: str, kind: str) -> str:
    return f"{_attribute_aggregate(name, typ, kind, 'State')} AS {name}"


SESSIONS_VIEW_SELECT = (
    "SELECT toString(account_id) AS account_id, toStartOfHour(ts) AS hour, session_id, "
    "minState(ts_ms) AS first_ms, maxState(ts_ms) AS last_ms, "
    "sumState(played_ms) AS played_ms, sumState(rebuffer_ms) AS rebuffer_ms, "
    + ", ".join(_state_expr(n, t, k) for n, t, k in SESSION_COLUMNS)
    + " FROM {db}.{source} WHERE session_id != '' GROUP BY account_id, hour, session_id"
)

# Merge expressions the planner uses to read one session back from its hour rows.
SESSION_MERGE: dict[str, str] = {
    "first_ms": "minMerge(first_ms)",
    "last_ms": "maxMerge(last_ms)",
    "played_ms": "sumMerge(played_ms)",
    "rebuffer_ms": "sumMerge(rebuffer_ms)",
    **{
        name: f"{'argMinIfMerge' if kind == 'first' else 'argMaxIfMerge'}({name})"
        for name, _, kind in SESSION_COLUMNS
    },
}

# The same values computed from ``events`` rows of one session directly (``GROUP BY session_id``):
# what the sessions table holds, without it (the planner's raw mode, MEDIASTATS_ROLLUPS=0).
SESSION_FROM_EVENTS: dict[str, str] = {
    "first_ms": "min(ts_ms)",
    "last_ms": "max(ts_ms)",
    "played_ms": "sum(played_ms)",
    "rebuffer_ms": "sum(rebuffer_ms)",
    **{name: _attribute_aggregate(name, typ, kind) for name, typ, kind in SESSION_COLUMNS},
}


# One standing row per view: what ``SESSION_MERGE`` gives for the session, in plain columns
# (migration 5, ``storage/facts.py``). A change is written as the old row with sign -1 and the new
# one with +1, so any sum of ``sign`` (and of ``sign`` × a column) over rows is the sum over the
# standing views, whether or not ClickHouse has collapsed the pairs yet. The key is the session,
# so ingest finds a view's standing row by the primary key; the partition is the month of its first
# event, so ranges of view starts prune months.
SESSION_FACTS = Table(
    name="session_facts",
    columns=(
        ("account_id", "String"),
        ("session_id", "String"),
        ("sign", "Int8"),
        ("first_ms", "Int64"),
        ("last_ms", "Int64"),
        ("played_ms", "UInt64"),
        ("rebuffer_ms", "UInt64"),
        *((name, typ) for name, typ, _ in SESSION_COLUMNS),
    ),
    engine="CollapsingMergeTree",
    engine_args=("sign",),
    order_by="(account_id, session_id)",
    partition_by="toYYYYMM(toDateTime(intDiv(first_ms, 1000), 'UTC'))",
)
FACT_VALUES: tuple[str, ...] = tuple(name for name, _ in SESSION_FACTS.columns if name not in
                                     ("account_id", "session_id", "sign"))

# ``session_facts`` again, sorted by when each view started (migration 7): the copy that view
# metrics read. Keyed by session, a 7-day range read whole months of ``session_facts``; here the
# primary key reads the range. A materialized view copies every row the fold writes, so a -1 row
# carries the ``first_ms`` of the row it cancels and the pairs collapse here too. ``viewer_key``
# is the viewer's SipHash128, the hash ``uniqExact`` itself keeps of a string: unique viewers
# group by 16 fixed bytes instead of a viewer string of ~80 (2× faster at 100 M events).
# ``FACTS_BY_START_INDEXES``, on chdb only (18.16 has no data-skipping indexes), lets a range of
# active views skip the granules of views that ended before it.
SESSION_FACTS_BY_START = Table(
    name="session_facts_by_start",
    columns=(*SESSION_FACTS.columns, ("viewer_key", "FixedString(16)")),
    engine="CollapsingMergeTree",
    engine_args=("sign",),
    order_by="(account_id, first_ms, session_id)",
    partition_by=SESSION_FACTS.partition_by,
)
FACTS_BY_START_SELECT = (
    "SELECT " + ", ".join(name for name, _ in SESSION_FACTS.columns) + ", sipHash128(viewer) AS viewer_key"
    " FROM {db}.{source}"
)
FACTS_BY_START_INDEXES = ("INDEX last_ms_range last_ms TYPE minmax GRANULARITY 1",)


# Rollups of ``events``, fed by materialized views (migration 2). One row per account × period
# (5 minutes or an hour, from ``ts_ms``) × combination of the rollup's dimensions, holding sums and
# counts only, so rows of the same key add up (SummingMergeTree) and any bucket made of whole
# periods is the sum of its periods. Sample means keep a sum and a count of the non-NULL samples.
# ``n_events`` is never 0, so a row is never merged away and a listing of values stays exact.
ROLLUP_MEASURES: tuple[tuple[str, str, str], ...] = (
    # (column, type, aggregate over the events of the row)
    ("n_events", "UInt64", "count()"),
    ("played_ms", "UInt64", "sum(played_ms)"),
    ("rebuffer_ms", "UInt64", "sum(rebuffer_ms)"),
    ("bytes_cdn", "UInt64", "sum(bytes_cdn)"),
    ("bytes_p2p", "UInt64", "sum(bytes_p2p)"),
    ("buffer_ms_sum", "Float64", "sum(ifNull(buffer_ms, 0))"),
    ("buffer_ms_n", "UInt64", "count(buffer_ms)"),
    ("buffer_fill_rate_sum", "Float64", "sum(ifNull(buffer_fill_rate, 0))"),
    ("buffer_fill_rate_n", "UInt64", "count(buffer_fill_rate)"),
    ("request_rtt_ms_sum", "Float64", "sum(ifNull(request_rtt_ms, 0))"),
    ("request_rtt_ms_n", "UInt64", "count(request_rtt_ms)"),
    ("dropped_frames_sum", "UInt64", "sum(ifNull(dropped_frames, 0))"),
    ("dropped_frames_n", "UInt64", "count(dropped_frames)"),
    ("ad_opportunities", "UInt64", "countIf(type = 'ad_opportunity')"),
    ("ad_requests", "UInt64", "countIf(type = 'ad_request')"),
    ("ad_responses", "UInt64", "countIf(type = 'ad_response')"),
    ("ad_assets", "UInt64", "countIf(type = 'ad_asset')"),
    ("ad_impressions", "UInt64", "countIf(type = 'ad_impression')"),
    ("ad_events", "UInt64", "countIf(type LIKE 'ad\\_%')"),
)

_STREAM_DIMENSIONS = ("channel_id", "server_id", "stream_id", "stream_uri", "content_type", "ad_tag")
_DEVICE_DIMENSIONS = (
    *_STREAM_DIMENSIONS, "delivery", "bitrate_kbps", "representation_id", "protocol", "country",
    "player", "browser", "os", "device_type", "platform", "connection_type",
    "wms_player", "wms_device", "s73_os", "s73_platform", "s73_connection",
    "amagi_device_type", "amagi_device_name", "sr_platform",
)


# What Amagi's contentAnalytics groups and filters by (version 6): its viewing time per day and
# content was read from raw events (8 s at 90 days on 100 M events); a content has a few
# rows an hour, so these tables are small.
_CONTENT_DIMENSIONS = ("channel_id", "server_id", "content_id", "content_name", "series_name", "studio")


@dataclass(frozen=True)
class Rollup:
    """A rollup table: its period (``grain_s`` seconds, UTC-aligned) and the event columns it is
    grouped by beyond account and period."""

    table: Table
    grain_s: int
    dimensions: tuple[str, ...]
    # The migration that creates it (migrations.py; a version's set never changes).
    version: int = 2

    @property
    def period_sql(self) -> str:
        """An events row's ``period`` in this rollup (from ts_ms, exact whatever ``ts`` holds)."""
        return f"toDateTime(intDiv(ts_ms, {self.grain_s * 1000}) * {self.grain_s})"

    def view_select(self, db: str, source: str) -> str:
        """The SELECT that feeds it from ``source`` (the MV's query, and the backfill's)."""
        measures = ", ".join(f"{expr} AS {name}" for name, _, expr in ROLLUP_MEASURES)
        keys = ", ".join(self.dimensions)
        return (
            f"SELECT account_id, {self.period_sql} AS period, {keys}, {measures} FROM {db}.{source}"
            f" GROUP BY account_id, period, {keys}"
        )


    def regroup_select(self, db: str, finer: Rollup, source: str) -> str:
        """This rollup's rows summed up from ``source``, a table of ``finer`` (same dimensions,
        a grain dividing this one): a backfill that reads the hourly rows instead of every event."""
        assert finer.dimensions == self.dimensions and self.grain_s % finer.grain_s == 0
        keys = ", ".join(self.dimensions)
        sums = ", ".join(f"sum({name}) AS {name}" for name, _, _ in ROLLUP_MEASURES)
        coarse = f"toDateTime(intDiv(toUInt32(period), {self.grain_s}) * {self.grain_s})"
        return (
            f"SELECT account_id, {coarse} AS coarse_period, {keys}, {sums} FROM {db}.{source}"
            f" GROUP BY account_id, coarse_period, {keys}"
        )


def _rollup(name: str, grain_s: int, dimensions: tuple[str, ...], version: int = 2) -> Rollup:
    types = dict(EVENT_COLUMNS)
    return Rollup(
        Table(
            name=name,
            columns=(
                ("account_id", LC),
                ("period", "DateTime('UTC')"),
                *((d, types[d]) for d in dimensions),
                *((n, t) for n, t, _ in ROLLUP_MEASURES),
            ),
            engine="SummingMergeTree",
            order_by=f"(account_id, period, {', '.join(dimensions)})",
            partition_by="toYYYYMM(period)",
        ),
        grain_s,
        dimensions,
        version,
    )


# Per grain, narrowest first: the planner reads, for each part of a range, the coarsest grain that
# fits the buckets and, within it, the first rollup that holds every column the query needs.
# Grains follow what the doors ask: 5-minute points and sub-buckets (bandwidth peaks, 24 h
# windows), hours, and UTC days (version 4: a 90-day summary read 403 k hourly device rows,
# 50 ms on 10 M events; the daily tables hold about a twelfth of the hourly rows). There is no
# per-minute grain and no sub-hour device rollup: on sparse data (one heartbeat a minute) they
# hold about a row per event — a session's attributes are one combination — and cost inserts
# more than the others together, for little gain (figures: docs/architecture.md, "Rollups").
ROLLUPS: tuple[Rollup, ...] = (
    _rollup("rollup_streams_5m", 300, _STREAM_DIMENSIONS),
    _rollup("rollup_streams_1h", 3600, _STREAM_DIMENSIONS),
    _rollup("rollup_devices_1h", 3600, _DEVICE_DIMENSIONS),
    _rollup("rollup_streams_1d", 86400, _STREAM_DIMENSIONS, version=4),
    _rollup("rollup_devices_1d", 86400, _DEVICE_DIMENSIONS, version=4),
    _rollup("rollup_content_1h", 3600, _CONTENT_DIMENSIONS, version=6),
    _rollup("rollup_content_1d", 86400, _CONTENT_DIMENSIONS, version=6),
)
