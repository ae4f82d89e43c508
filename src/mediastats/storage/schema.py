"""Tables of the analytics store, written once; each backend renders its own DDL from them.

``events`` holds every accepted event, one row each, with its session attributes filled in at
ingest (so by-time metrics can group by them) and the vendor vocabularies derived once.
``sessions`` is fed by a materialized view: one row per account × hour × session with the states
that make a view (first/last event, earliest attribute values, latest delivery), so view counts,
concurrency and device counts read sessions, not every heartbeat.
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


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]
    engine: str
    order_by: str
    partition_by: str | None = None


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


def _state_expr(name: str, typ: str, kind: str) -> str:
    empty = "0" if typ == "UInt32" else "''"
    fn = "argMinIfState" if kind == "first" else "argMaxIfState"
    col = name if not typ.startswith("LowCardinality") else f"toString({name})"
    return f"{fn}({col}, ts_ms, {name} != {empty}) AS {name}"


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
