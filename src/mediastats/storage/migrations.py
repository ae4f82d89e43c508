"""Versioned schema migrations. A version is applied once and never edited; add a new one.

The tables are declared once in ``schema.py``; this module renders their DDL per backend — the
only SQL that differs between chdb, one ClickHouse server and a cluster:

- chdb (ClickHouse 26): LowCardinality columns, local tables, column codecs (version 3).
- one server: the same tables with plain String columns (LowCardinality is experimental on the
  oldest servers we support, 18.16).
- a cluster: ``<name>_local`` MergeTree tables on every node, a materialized view per node from
  ``events_local`` into ``sessions_local``, and Distributed ``events`` / ``sessions`` tables
  sharded by ``cityHash64(account_id)``. DDL is run on each node (``ON CLUSTER`` needs ZooKeeper).
- a replicated cluster (opt-in, ``Layout(replicated=True)``): the same tables with the
  ``Replicated`` engine of each one's family, under the ZooKeeper path ``replica_path`` with the
  servers' ``{shard}`` / ``{replica}`` macros, and every statement run once ``ON CLUSTER``.

Version 2 adds the 5-minute and hourly rollups (``schema.ROLLUPS``): a table, the MV feeding it, and a
backfill of the rows already stored (the order is explained in ``_rollup_statements``); version 4
adds the daily ones the same way. Version 5 adds ``session_facts`` (``storage/facts.py``), one row a
view, which ingest keeps exact; version 6 the hourly and daily content rollups; version 7 the
copy of the facts sorted by view start that queries read (``session_facts_by_start``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from mediastats.storage.facts import backfill_inserts, facts_by_start_backfill
from mediastats.storage.schema import (
    EVENT_CODECS,
    EVENTS,
    FACTS_BY_START_INDEXES,
    FACTS_BY_START_SELECT,
    ROLLUPS,
    SESSION_FACTS,
    SESSION_FACTS_BY_START,
    SESSIONS,
    SESSIONS_VIEW_SELECT,
    Rollup,
    Table,
)


@dataclass(frozen=True)
class Layout:
    """How a cluster's DDL is rendered. Per node (the default): plain MergeTree-family tables,
    every statement run on each node. Replicated: ``Replicated*`` engines and ``ON CLUSTER``, every
    statement run once (the servers need ZooKeeper/Keeper, ``<macros>`` and ``<distributed_ddl>``)."""

    cluster: str
    replicated: bool = False

    @property
    def on_cluster(self) -> str:
        return f" ON CLUSTER {self.cluster}" if self.replicated else ""

    def engine(self, table: Table, db: str) -> str:
        if not self.replicated:
            return _engine(table)
        args = ", ".join((f"'{replica_path(db, table.name)}'", "'{replica}'", *table.engine_args))
        return f"Replicated{table.engine}({args})"


def _engine(table: Table) -> str:
    return f"{table.engine}({', '.join(table.engine_args)})"


def replica_path(db: str, table: str) -> str:
    """A replicated table's ZooKeeper path: one per shard (``{shard}`` macro) and database, so
    two databases on one cluster never share a replication log."""
    return f"/clickhouse/tables/{{shard}}/{db}/{table}"


def create_table_sql(
    table: Table, db: str, *, low_cardinality: bool = True, layout: Layout | None = None,
    indexes: tuple[str, ...] = (),
) -> str:
    cols = ", ".join([
        *(f"{name} {typ if low_cardinality else typ.replace('LowCardinality(String)', 'String')}"
          for name, typ in table.columns),
        *indexes,
    ])
    partition = f" PARTITION BY {table.partition_by}" if table.partition_by else ""
    engine = layout.engine(table, db) if layout else _engine(table)
    on_cluster = layout.on_cluster if layout else ""
    return (
        f"CREATE TABLE IF NOT EXISTS {db}.{table.name}{on_cluster} ({cols}) "
        f"ENGINE = {engine}{partition} ORDER BY {table.order_by}"
    )


def distributed_sql(table: Table, db: str, cluster: str, *, on_cluster: str = "") -> str:
    cols = ", ".join(f"{n} {t.replace('LowCardinality(String)', 'String')}" for n, t in table.columns)
    return (
        f"CREATE TABLE IF NOT EXISTS {db}.{table.name}{on_cluster} ({cols}) "
        f"ENGINE = Distributed({cluster}, {db}, {table.name}_local, cityHash64(account_id))"
    )


def _view_sql(db: str, name: str, target: str, select: str, on_cluster: str = "") -> str:
    return f"CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.{name}{on_cluster} TO {db}.{target} AS " + select


def _v1(db: str, low_cardinality: bool = True) -> list[str]:
    return [
        create_table_sql(EVENTS, db, low_cardinality=low_cardinality),
        create_table_sql(SESSIONS, db, low_cardinality=low_cardinality),
        f"CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.sessions_mv TO {db}.sessions AS "
        + SESSIONS_VIEW_SELECT.format(db=db, source="events"),
    ]


def _v1_cluster(db: str, layout: Layout) -> list[str]:
    events_local = replace(EVENTS, name="events_local")
    sessions_local = replace(SESSIONS, name="sessions_local")
    on = layout.on_cluster
    return [
        create_table_sql(events_local, db, low_cardinality=False, layout=layout),
        create_table_sql(sessions_local, db, low_cardinality=False, layout=layout),
        _view_sql(db, "sessions_mv", "sessions_local", SESSIONS_VIEW_SELECT.format(db=db, source="events_local"), on),
        distributed_sql(EVENTS, db, layout.cluster, on_cluster=on),
        distributed_sql(SESSIONS, db, layout.cluster, on_cluster=on),
    ]


def _rollup_statements(rollup: Rollup, db: str, table: Table, source: str, low_cardinality: bool) -> list[str]:
    """One rollup: its table, the MV that feeds it, then the backfill of the rows already stored.

    The MV comes first and the backfill second, in one migration that runs before this process
    writes any event (``build_services`` migrates before the ingestor starts; chdb's data dir has
    one owner). Every event is then counted once: rows stored before the MV by the backfill, rows
    stored after it by the MV. The TRUNCATE makes a migration that died half-way safe to run again
    (the version is recorded only after its last statement). On a server or cluster with several
    writers, run this migration with ingestion stopped, as for any ClickHouse MV backfill.
    """
    return [
        create_table_sql(table, db, low_cardinality=low_cardinality),
        f"CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.{rollup.table.name}_mv TO {db}.{table.name} AS "
        + rollup.view_select(db, source),
        f"TRUNCATE TABLE {db}.{table.name}",
        f"INSERT INTO {db}.{table.name} " + rollup.view_select(db, source),
    ]


def _rollups_of(version: int) -> list[Rollup]:
    return [r for r in ROLLUPS if r.version == version]


def _rollup_version(version: int, db: str, low_cardinality: bool = True) -> list[str]:
    """The rollups of ``version`` (schema.ROLLUPS), each its table, MV and backfill; a daily one's
    backfill sums the hourly rollup of its dimensions (complete by then: migrations run before
    ingest, and the hourly one comes first)."""
    out = []
    for r in _rollups_of(version):
        made = _rollup_statements(r, db, r.table, "events", low_cardinality)
        out += _from_hourly(made, r, db) if r.grain_s == 86400 else made
    return out


def _rollup_version_cluster(version: int, db: str, layout: Layout) -> list[str]:
    """``_rollup_version`` on a cluster: per node, local tables fed from ``events_local`` and a
    Distributed table each; replicated, the backfill once through the Distributed tables."""
    out = []
    for r in _rollups_of(version):
        daily = r.grain_s == 86400
        if layout.replicated:
            made = _replicated_rollup_statements(r, db, layout)
            out += _from_hourly(made, r, db) if daily else made
            continue
        made = _rollup_statements(r, db, replace(r.table, name=f"{r.table.name}_local"), "events_local", False)
        out += _from_hourly(made, r, db, "_local") if daily else made
        out.append(distributed_sql(r.table, db, layout.cluster))
    return out


def _v2(db: str, low_cardinality: bool = True) -> list[str]:
    """The 5-minute and hourly rollups of events (schema.ROLLUPS of version 2)."""
    return _rollup_version(2, db, low_cardinality)


def _v2_cluster(db: str, layout: Layout) -> list[str]:
    return _rollup_version_cluster(2, db, layout)


def _replicated_rollup_statements(rollup: Rollup, db: str, layout: Layout) -> list[str]:
    """``_rollup_statements`` on a replicated cluster: the same order (table, MV, then the backfill),
    with the backfill run once, from ``events`` into the rollup's Distributed table. Run on every
    node as in the per-node layout, it would insert each shard's rows once per replica.

    The Distributed table shards the backfill's rows by account like the MVs' rows, and writes
    each shard once (``internal_replication``); replication copies it. The TRUNCATE runs on every
    replica (a no-op after the first). A backfill re-run after a half-done migration repeats the
    first attempt's blocks; 18.16 forgets the block ids of the parts a TRUNCATE drops (measured:
    the re-run stores them again), and the backend runs migrations with ``insert_deduplicate=0`` so
    that a backfill stores what it selects whatever a server remembers.
    """
    local = replace(rollup.table, name=f"{rollup.table.name}_local")
    on = layout.on_cluster
    return [
        create_table_sql(local, db, low_cardinality=False, layout=layout),
        _view_sql(db, f"{rollup.table.name}_mv", local.name, rollup.view_select(db, "events_local"), on),
        distributed_sql(rollup.table, db, layout.cluster, on_cluster=on),
        f"TRUNCATE TABLE {db}.{local.name}{on}",
        f"INSERT INTO {db}.{rollup.table.name} " + rollup.view_select(db, "events"),
    ]


def _v3(db: str, low_cardinality: bool = True) -> list[str]:
    """Column codecs of ``events`` (schema.EVENT_CODECS), on chdb only.

    ``low_cardinality=False`` is the single-server DDL, which must run on ClickHouse 18.16: that
    server has no CODEC clause, so there is nothing to do there. The ALTER changes metadata only;
    parts written before it take the codecs as they are merged, new parts at once.
    """
    if not low_cardinality:
        return []
    types = dict(EVENTS.columns)
    clauses = ", ".join(f"MODIFY COLUMN {name} {types[name]} CODEC({codec})" for name, codec in EVENT_CODECS.items())
    return [f"ALTER TABLE {db}.{EVENTS.name} {clauses}"]


def _v3_cluster(db: str, layout: Layout) -> list[str]:
    return []  # codecs are chdb-only (see _v3)


def _from_hourly(statements: list[str], rollup: Rollup, db: str, suffix: str = "") -> list[str]:
    """``statements`` with the backfill (the last one) summing the hourly rollup's rows, not
    re-reading every event: the same sums (whole hours make whole UTC days), a twentieth of the
    rows. ``suffix`` names the tables written and read (``_local`` per node)."""
    hourly = next(r for r in ROLLUPS if r.grain_s == 3600 and r.dimensions == rollup.dimensions)
    backfill = rollup.regroup_select(db, hourly, hourly.table.name + suffix)
    return [*statements[:-1], f"INSERT INTO {db}.{rollup.table.name}{suffix} {backfill}"]


def _v4(db: str, low_cardinality: bool = True) -> list[str]:
    """The daily rollups (schema.ROLLUPS of version 4), made as version 2 made its own, the
    backfill summed from the hourly rollups."""
    return _rollup_version(4, db, low_cardinality)


def _v4_cluster(db: str, layout: Layout) -> list[str]:
    return _rollup_version_cluster(4, db, layout)


def _v5(db: str, low_cardinality: bool = True) -> list[str]:
    """``session_facts`` (storage/facts.py), filled from the sessions table. Ingest keeps it from
    then on; migrations run before ingest starts, so no view is missed or folded twice. The
    TRUNCATE makes a migration that died half-way safe to run again."""
    return [
        create_table_sql(SESSION_FACTS, db, low_cardinality=low_cardinality),
        f"TRUNCATE TABLE {db}.{SESSION_FACTS.name}",
        *backfill_inserts(db),
    ]


def _v5_cluster(db: str, layout: Layout) -> list[str]:
    """Per node: each node's sessions into its own facts (sharding by account keeps a session on
    one shard). Replicated: the backfill once, through the Distributed tables."""
    local = replace(SESSION_FACTS, name=f"{SESSION_FACTS.name}_local")
    on = layout.on_cluster
    made = [
        create_table_sql(local, db, low_cardinality=False, layout=layout),
        distributed_sql(SESSION_FACTS, db, layout.cluster, on_cluster=on),
        f"TRUNCATE TABLE {db}.{local.name}{on}",
    ]
    if layout.replicated:
        return made + backfill_inserts(db)
    return made + backfill_inserts(db, local.name, "sessions_local")


def _v6(db: str, low_cardinality: bool = True) -> list[str]:
    """The hourly and daily content rollups (schema.ROLLUPS of version 6): the hourly one from
    events as version 2 made its own, then the daily one summed from it as version 4 did."""
    return _rollup_version(6, db, low_cardinality)


def _v6_cluster(db: str, layout: Layout) -> list[str]:
    return _rollup_version_cluster(6, db, layout)


def _v7(db: str, low_cardinality: bool = True) -> list[str]:
    """``session_facts_by_start`` (schema.SESSION_FACTS_BY_START): the table, the view that copies
    every facts row into it, then the copy of the rows already there, in that order as for the
    rollups (migrations run before ingest). The minmax index is chdb's only (``low_cardinality``
    is the chdb DDL; the server DDL must run on 18.16)."""
    table = SESSION_FACTS_BY_START
    indexes = FACTS_BY_START_INDEXES if low_cardinality else ()
    return [
        create_table_sql(table, db, low_cardinality=low_cardinality, indexes=indexes),
        _view_sql(db, f"{table.name}_mv", table.name, FACTS_BY_START_SELECT.format(db=db, source=SESSION_FACTS.name)),
        f"TRUNCATE TABLE {db}.{table.name}",
        facts_by_start_backfill(db),
    ]


def _v7_cluster(db: str, layout: Layout) -> list[str]:
    """Per node: each node's facts into its own copy. Replicated: the copy once, through the
    Distributed tables (sharded by account like the facts)."""
    table = SESSION_FACTS_BY_START
    local = replace(table, name=f"{table.name}_local")
    on = layout.on_cluster
    return [
        create_table_sql(local, db, low_cardinality=False, layout=layout),
        _view_sql(db, f"{table.name}_mv", local.name,
                  FACTS_BY_START_SELECT.format(db=db, source=f"{SESSION_FACTS.name}_local"), on),
        distributed_sql(table, db, layout.cluster, on_cluster=on),
        f"TRUNCATE TABLE {db}.{local.name}{on}",
        facts_by_start_backfill(db) if layout.replicated
        else facts_by_start_backfill(db, local.name, f"{SESSION_FACTS.name}_local"),
    ]


MIGRATIONS: dict[int, Callable[..., list[str]]] = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6, 7: _v7}
CLUSTER_MIGRATIONS: dict[int, Callable[[str, Layout], list[str]]] = {
    1: _v1_cluster, 2: _v2_cluster, 3: _v3_cluster, 4: _v4_cluster, 5: _v5_cluster, 6: _v6_cluster,
    7: _v7_cluster,
}


def chdb_statements(version: int, db: str) -> list[str]:
    return MIGRATIONS[version](db)


def server_statements(version: int, db: str) -> list[str]:
    return MIGRATIONS[version](db, low_cardinality=False)


def cluster_statements(version: int, db: str, cluster: str, *, replicated: bool = False) -> list[str]:
    return CLUSTER_MIGRATIONS[version](db, Layout(cluster, replicated))


def replicated_bookkeeping_statements(db: str, cluster: str) -> list[str]:
    """The database and the applied-versions table of a replicated cluster, ``ON CLUSTER``.

    ``schema_migrations`` is a Distributed table over a replicated local one, so a version is
    recorded once for the whole cluster and every node (any entry point) reads the same set.
    """
    layout = Layout(cluster, replicated=True)
    local = Table("schema_migrations_local", (("version", "UInt32"),), "MergeTree", "version")
    return [
        f"CREATE DATABASE IF NOT EXISTS {db}{layout.on_cluster}",
        create_table_sql(local, db, layout=layout),
        f"CREATE TABLE IF NOT EXISTS {db}.schema_migrations{layout.on_cluster} (version UInt32) "
        f"ENGINE = Distributed({cluster}, {db}, schema_migrations_local, version)",
    ]
