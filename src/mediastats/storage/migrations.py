"""Versioned schema migrations. A version is applied once and never edited; add a new one.

The tables themselves are declared in ``schema.py``; this module renders them as DDL for each
backend (only DDL differs between chdb and a ClickHouse cluster).
"""

from __future__ import annotations

from collections.abc import Callable

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


def _v1(db: str) -> list[str]:
    return [
        create_table_sql(EVENTS, db),
        create_table_sql(SESSIONS, db),
        f"CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.sessions_mv TO {db}.sessions AS "
        + SESSIONS_VIEW_SELECT.format(db=db),
    ]


MIGRATIONS: dict[int, Callable[[str], list[str]]] = {1: _v1}


def chdb_statements(version: int, db: str) -> list[str]:
    return MIGRATIONS[version](db)
