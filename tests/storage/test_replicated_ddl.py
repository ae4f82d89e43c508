"""The replicated cluster layout's DDL (``?replicated=1``), without servers.

The replicated layout must be the per-node layout with two changes only: each ``<table>_local``
takes the ``Replicated`` engine of its own family under ``/clickhouse/tables/{shard}/<db>/<table>``
with the ``{replica}`` macro, and every statement names ``ON CLUSTER`` (run once) — except the
backfill INSERTs, which move to the Distributed tables. The per-node layout is pinned to the DDL it
rendered before the replicated one existed (``cluster_ddl_per_node.json``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from mediastats.storage.base import StorageError
from mediastats.storage.clickhouse_backend import ClickHouseStorage
from mediastats.storage.migrations import (
    CLUSTER_MIGRATIONS,
    MIGRATIONS,
    cluster_statements,
    replicated_bookkeeping_statements,
)

DB, CLUSTER = "mediastats", "two_shards"
PER_NODE = json.loads((Path(__file__).parent / "cluster_ddl_per_node.json").read_text())
VERSIONS = sorted(CLUSTER_MIGRATIONS)
# Written out by hand: the engine family each local table has in the per-node layout.
FAMILIES = {
    "events_local": "MergeTree",
    "sessions_local": "AggregatingMergeTree",
    "rollup_streams_5m_local": "SummingMergeTree",
    "rollup_streams_1h_local": "SummingMergeTree",
    "rollup_devices_1h_local": "SummingMergeTree",
    "rollup_streams_1d_local": "SummingMergeTree",
    "rollup_devices_1d_local": "SummingMergeTree",
    "session_facts_local": "CollapsingMergeTree",
    "rollup_content_1h_local": "SummingMergeTree",
    "rollup_content_1d_local": "SummingMergeTree",
    "session_facts_by_start_local": "CollapsingMergeTree",
}
# Engine parameters after the replication ones.
ARGS = {"session_facts_local": ", sign", "session_facts_by_start_local": ", sign"}
_CREATE = re.compile(
    r"CREATE TABLE IF NOT EXISTS mediastats\.(\w+) ON CLUSTER two_shards \(.*\) ENGINE = (\w+)\((.*?)\)"
)


def replicated(version: int) -> list[str]:
    return cluster_statements(version, DB, CLUSTER, replicated=True)


def test_the_per_node_layout_is_what_it_was() -> None:
    assert sorted(PER_NODE) == [str(v) for v in VERSIONS] and set(MIGRATIONS) == set(CLUSTER_MIGRATIONS)
    for version in VERSIONS:
        assert cluster_statements(version, DB, CLUSTER) == PER_NODE[str(version)], f"version {version}"
        assert cluster_statements(version, DB, CLUSTER, replicated=False) == PER_NODE[str(version)]
    every = [s for v in VERSIONS for s in PER_NODE[str(v)]]
    assert not [s for s in every if "ON CLUSTER" in s or "Replicated" in s]


def test_every_local_table_is_replicated_in_its_own_family() -> None:
    engines: dict[str, tuple[str, str]] = {}
    for version in VERSIONS:
        for statement in replicated(version):
            if (m := _CREATE.match(statement)) and m.group(1).endswith("_local"):
                engines[m.group(1)] = (m.group(2), m.group(3))
    assert engines == {
        name: (f"Replicated{family}",
               f"'/clickhouse/tables/{{shard}}/mediastats/{name}', '{{replica}}'{ARGS.get(name, '')}")
        for name, family in FAMILIES.items()
    }


def test_local_tables_of_the_per_node_layout_are_the_hand_written_families() -> None:
    found = {
        m.group(1): m.group(2)
        for v in VERSIONS for s in PER_NODE[str(v)]
        if (m := re.match(r"CREATE TABLE IF NOT EXISTS mediastats\.(\w+_local) .* ENGINE = (\w+)\((sign)?\)", s))
    }
    assert found == FAMILIES


def test_every_statement_but_the_backfill_runs_on_cluster() -> None:
    for version in VERSIONS:
        for statement in replicated(version):
            if statement.startswith("INSERT INTO"):
                continue
            head = statement.split(" (")[0].split(" AS SELECT")[0]
            assert re.fullmatch(
                r"(CREATE TABLE IF NOT EXISTS|CREATE MATERIALIZED VIEW IF NOT EXISTS|TRUNCATE TABLE) "
                r"mediastats\.\w+ ON CLUSTER two_shards( TO mediastats\.\w+_local)?",
                head,
            ), statement[:160]


def test_the_replicated_layout_is_the_per_node_one_but_for_engines_and_on_cluster() -> None:
    """Same tables, columns, views and view queries; only engine, ON CLUSTER and backfill differ."""
    for version in VERSIONS:
        per_node = [s for s in PER_NODE[str(version)] if not s.startswith(("INSERT", "TRUNCATE"))]
        undone = [
            re.sub(r"Replicated(\w+)\('[^']*', '\{replica\}'(?:, )?([^)]*)\)", r"\1(\2)",
                   s.replace(" ON CLUSTER two_shards", ""))
            for s in replicated(version)
            if not s.startswith(("INSERT", "TRUNCATE"))
        ]
        assert sorted(undone) == sorted(per_node), f"version {version}"


_OBJECT = re.compile(
    r"(CREATE TABLE|CREATE MATERIALIZED VIEW|TRUNCATE TABLE|INSERT INTO)(?: IF NOT EXISTS)? mediastats\.(\w+) "
)


def test_backfills_come_after_their_view_and_go_through_distributed_tables() -> None:
    statements = replicated(2)
    objects = [m.groups() for s in statements if (m := _OBJECT.match(s))]
    assert len(objects) == len(statements)
    for name in ("rollup_streams_5m", "rollup_streams_1h", "rollup_devices_1h"):
        assert [o for o in objects if o[1] in (name, f"{name}_local", f"{name}_mv")] == [
            ("CREATE TABLE", f"{name}_local"),
            ("CREATE MATERIALIZED VIEW", f"{name}_mv"),
            ("CREATE TABLE", name),
            ("TRUNCATE TABLE", f"{name}_local"),
            ("INSERT INTO", name),  # the Distributed table, once
        ], name
        (insert,) = [s for s in statements if s.startswith(f"INSERT INTO mediastats.{name} ")]
        assert " FROM mediastats.events GROUP BY " in insert  # all shards' events, re-sharded on the way in
        (distributed,) = [s for s in statements if s.startswith(f"CREATE TABLE IF NOT EXISTS mediastats.{name} ")]
        assert distributed.endswith(
            f"ENGINE = Distributed(two_shards, mediastats, {name}_local, cityHash64(account_id))"
        )


def test_versions_are_recorded_cluster_wide() -> None:
    database, local, table = replicated_bookkeeping_statements("db", "c")
    assert database == "CREATE DATABASE IF NOT EXISTS db ON CLUSTER c"
    assert local == (
        "CREATE TABLE IF NOT EXISTS db.schema_migrations_local ON CLUSTER c (version UInt32) ENGINE = "
        "ReplicatedMergeTree('/clickhouse/tables/{shard}/db/schema_migrations_local', '{replica}') ORDER BY version"
    )
    assert table == ("CREATE TABLE IF NOT EXISTS db.schema_migrations ON CLUSTER c (version UInt32) "
                     "ENGINE = Distributed(c, db, schema_migrations_local, version)")


def test_the_database_name_is_in_every_replication_path() -> None:
    paths = re.findall(r"'(/clickhouse/tables/[^']*)'", " ".join(cluster_statements(1, "other", "c", replicated=True)))
    assert paths == ["/clickhouse/tables/{shard}/other/events_local", "/clickhouse/tables/{shard}/other/sessions_local"]


# --- the backend: URL option, the ON CLUSTER migration path, retried inserts ----------------------


class Recorder:
    """Stands in for a clickhouse-driver Client: records every statement and its settings."""

    def __init__(self, applied: list[int]) -> None:
        self.applied = applied
        self.calls: list[tuple[str, Any, dict[str, Any] | None]] = []

    def execute(self, sql: str, params: Any = None, settings: dict[str, Any] | None = None) -> list[tuple[int]]:
        self.calls.append((sql, params, settings))
        return [(v,) for v in self.applied] if sql.startswith("SELECT version") else []

    def disconnect(self) -> None:
        pass


def storage(url: str) -> ClickHouseStorage:
    return ClickHouseStorage(url)  # parses; connects only when asked


def test_replicated_is_opt_in_and_needs_a_cluster() -> None:
    assert storage("clickhouse://h:9000/db?cluster=c&nodes=a:9000,b:9000").replicated is False
    assert storage("clickhouse://h:9000/db?cluster=c&replicated=1").replicated is True
    assert storage("clickhouse://h:9000/db?cluster=c&replicated=true").replicated is True
    assert storage("clickhouse://h:9000/db?cluster=c&replicated=0").replicated is False
    with pytest.raises(ValueError, match="needs cluster"):
        storage("clickhouse://h:9000/db?replicated=1")
    with pytest.raises(ValueError, match="replicated=maybe"):
        storage("clickhouse://h:9000/db?cluster=c&replicated=maybe")


@pytest.mark.parametrize("applied", [[], [1], [1, 2, 3], sorted(MIGRATIONS)])
def test_replicated_migrations_run_once_from_the_entry_node(applied: list[int]) -> None:
    s = storage("clickhouse://h:9000/db?cluster=c&replicated=1&nodes=a:9000,b:9000")
    entry, other_a, other_b = Recorder(applied), Recorder([]), Recorder([])
    s._client, s._nodes = entry, [other_a, other_b]  # type: ignore[assignment]
    s.migrate()
    assert other_a.calls == other_b.calls == []
    expected = [*replicated_bookkeeping_statements("db", "c"), "SELECT version FROM db.schema_migrations"]
    for version in sorted(set(MIGRATIONS) - set(applied)):
        expected += cluster_statements(version, "db", "c", replicated=True)
        expected.append("INSERT INTO db.schema_migrations (version) VALUES")
    assert [sql for sql, _, _ in entry.calls] == expected
    recorded = [params for sql, params, _ in entry.calls if sql.startswith("INSERT INTO db.schema_migrations")]
    assert recorded == [[(v,)] for v in sorted(MIGRATIONS) if v not in applied]
    # A backfill re-run after a half-done migration must store its rows again, whatever the server remembers.
    changes = [settings for sql, _, settings in entry.calls if not sql.startswith("SELECT")]
    assert changes == [{"insert_deduplicate": 0}] * (len(expected) - 1)


def test_per_node_migrations_still_run_on_every_node() -> None:
    s = storage("clickhouse://h:9000/db?cluster=c&nodes=a:9000,b:9000")
    a, b = Recorder(sorted(MIGRATIONS)), Recorder([])
    s._client, s._nodes = Recorder([]), [a, b]  # type: ignore[assignment]
    s.migrate()
    assert [sql for sql, _, _ in a.calls] == [
        "CREATE DATABASE IF NOT EXISTS db",
        "CREATE TABLE IF NOT EXISTS db.schema_migrations (version UInt32) ENGINE = MergeTree ORDER BY version",
        "SELECT version FROM db.schema_migrations",
    ]
    assert [sql for sql, _, _ in b.calls][3:] == [
        *cluster_statements(1, "db", "c"), "INSERT INTO db.schema_migrations (version) VALUES",
        *cluster_statements(2, "db", "c"), "INSERT INTO db.schema_migrations (version) VALUES",
        "INSERT INTO db.schema_migrations (version) VALUES",  # 3: codecs are chdb-only
        *cluster_statements(4, "db", "c"), "INSERT INTO db.schema_migrations (version) VALUES",
        *cluster_statements(5, "db", "c"), "INSERT INTO db.schema_migrations (version) VALUES",
        *cluster_statements(6, "db", "c"), "INSERT INTO db.schema_migrations (version) VALUES",
        *cluster_statements(7, "db", "c"), "INSERT INTO db.schema_migrations (version) VALUES",
    ]


def flaky_http(failures: int) -> tuple[httpx.Client, list[bytes]]:
    bodies: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        if len(bodies) <= failures:
            raise httpx.ConnectError("connection reset", request=request)
        return httpx.Response(200)

    return httpx.Client(transport=httpx.MockTransport(answer)), bodies


def test_a_replicated_insert_is_sent_again_unchanged_after_a_transport_error() -> None:
    s = storage("clickhouse://h:9000/db?cluster=c&replicated=1&http=8123")
    s._http, bodies = flaky_http(failures=2)
    s.insert_json_rows("events", b'{"a": 1}\n{"a": 2}')
    assert bodies == [b'{"a": 1}\n{"a": 2}'] * 3


def test_a_replicated_insert_gives_up_after_three_sends() -> None:
    s = storage("clickhouse://h:9000/db?cluster=c&replicated=1")
    s._http, bodies = flaky_http(failures=3)
    with pytest.raises(StorageError, match="connection reset"):
        s.insert_json_rows("events", b'{"a": 1}')
    assert len(bodies) == 3


def test_a_per_node_insert_is_sent_once() -> None:
    """No deduplication there: a second copy of an insert that did land would count twice."""
    s = storage("clickhouse://h:9000/db?cluster=c&nodes=a:9000")
    s._http, bodies = flaky_http(failures=1)
    with pytest.raises(StorageError):
        s.insert_json_rows("events", b'{"a": 1}')
    assert len(bodies) == 1
