"""Versioned schema migrations. A version is applied once and never edited; add a new one.

The tables are declared once in ``schema.py``; this module renders their DDL per backend — the
only SQL that differs between chdb, one ClickHouse server and a cluster:

- chdb (ClickHouse 26): LowCardinality columns, local tables.
- one server: the same tables with plain String columns (LowCardinality is experimental on the
  oldest servers we support, 18.16).
- a cluster: ``<name>_local`` MergeTree tables on every node, a materialized view per node from
  ``events_local`` into ``sessions_local``, and Distributed ``events`` / ``sessions`` tables
  sharded by ``cityHash64(account_id)``. DDL is run on each node (``ON CLUSTER`` needs ZooKeeper).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from mediastats.storage.schema import EVENTS, SESSIONS, SESSIONS_VIEW_SELECT, Table


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


MIGRATIONS: dict[int, Callable[..., list[str]]] = {1: _v1}
CLUSTER_MIGRATIONS: dict[int, Callable[[str, str], list[str]]] = {1: _v1_cluster}


def chdb_statements(version: int, db: str) -> list[str]:
    return MIGRATIONS[version](db)


def server_statements(version: int, db: str) -> list[str]:
    return MIGRATIONS[version](db, low_cardinality=False)


def cluster_statements(version: int, db: str, cluster: str) -> list[str]:
    return CLUSTER_MIGRATIONS[version](db, cluster)
