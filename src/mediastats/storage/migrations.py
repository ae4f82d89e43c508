"""Versioned schema migrations. A version is applied once and never edited; add a new one.

The tables are declared once in ``schema.py``; this module renders their DDL per backend — the
only SQL that differs between chdb, one ClickHouse server and a cluster:

- chdb (ClickHouse 26): LowCardinality columns, local tables, column codecs (version 3).
- one server: the same tables with plain String columns (LowCardinality is experimental on the
  oldest servers we support, 18.16).
- a cluster: ``<name>_local`` MergeTree tables on every node, a materialized view per node from
  ``events_local`` into ``sessions_local``, and Distributed ``events`` / ``sessions`` tables
  sharded by ``cityHash64(account_id)``. DDL is run on each node (``ON CLUSTER`` needs ZooKeeper).

Version 2 adds the 5-minute and hourly rollups (``schema.ROLLUPS``): a table, the MV feeding it, and a
backfill of the rows already stored (the order is explained in ``_rollup_statements``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from mediastats.storage.schema import EVENT_CODECS, EVENTS, ROLLUPS, SESSIONS, SESSIONS_VIEW_SELECT, Rollup, Table


def create_table_sql(table: Table, db: str, *, low_cardinality: bool = True) -> str:
    cols = ", ".join(
        f"{name} {typ if low_cardinality else typ.replace('LowCardinality(String)', 'String')}"
        for name, typ in table.columns
    )
    partition = f" PARTITION BY {table.partition_by}" if table.partition_by else ""
    return (
        f"CREATE TABLE IF NOT EXISTS {db}.{table.name} ({cols}) "
        f"ENGINE = {table.engine}(){partition} ORDER BY {table.order_by}"
    )


def distributed_sql(table: Table, db: str, cluster: str) -> str:
    cols = ", ".join(f"{n} {t.replace('LowCardinality(String)', 'String')}" for n, t in table.columns)
    return (
        f"CREATE TABLE IF NOT EXISTS {db}.{table.name} ({cols}) "
        f"ENGINE = Distributed({cluster}, {db}, {table.name}_local, cityHash64(account_id))"
    )


def _v1(db: str, low_cardinality: bool = True) -> list[str]:
    return [
        create_table_sql(EVENTS, db, low_cardinality=low_cardinality),
        create_table_sql(SESSIONS, db, low_cardinality=low_cardinality),
        f"CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.sessions_mv TO {db}.sessions AS "
        + SESSIONS_VIEW_SELECT.format(db=db, source="events"),
    ]


def _v1_cluster(db: str, cluster: str) -> list[str]:
    events_local = replace(EVENTS, name="events_local")
    sessions_local = replace(SESSIONS, name="sessions_local")
    return [
        create_table_sql(events_local, db, low_cardinality=False),
        create_table_sql(sessions_local, db, low_cardinality=False),
        f"CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.sessions_mv TO {db}.sessions_local AS "
        + SESSIONS_VIEW_SELECT.format(db=db, source="events_local"),
        distributed_sql(EVENTS, db, cluster),
        distributed_sql(SESSIONS, db, cluster),
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


def _v2(db: str, low_cardinality: bool = True) -> list[str]:
    """Per-minute rollups of events (schema.ROLLUPS)."""
    return [s for r in ROLLUPS for s in _rollup_statements(r, db, r.table, "events", low_cardinality)]


def _v2_cluster(db: str, cluster: str) -> list[str]:
    out = []
    for r in ROLLUPS:
        out += _rollup_statements(r, db, replace(r.table, name=f"{r.table.name}_local"), "events_local", False)
        out.append(distributed_sql(r.table, db, cluster))
    return out


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


def _v3_cluster(db: str, cluster: str) -> list[str]:
    return []  # codecs are chdb-only (see _v3)


MIGRATIONS: dict[int, Callable[..., list[str]]] = {1: _v1, 2: _v2, 3: _v3}
CLUSTER_MIGRATIONS: dict[int, Callable[[str, str], list[str]]] = {1: _v1_cluster, 2: _v2_cluster, 3: _v3_cluster}


def chdb_statements(version: int, db: str) -> list[str]:
    return MIGRATIONS[version](db)


def server_statements(version: int, db: str) -> list[str]:
    return MIGRATIONS[version](db, low_cardinality=False)


def cluster_statements(version: int, db: str, cluster: str) -> list[str]:
    return CLUSTER_MIGRATIONS[version](db, cluster)
