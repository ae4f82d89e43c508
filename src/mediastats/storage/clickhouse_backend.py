"""A ClickHouse server or cluster (``MEDIASTATS_CLICKHOUSE_URL``), over the native protocol.

The query SQL is the same text as on chdb: ``{name:Type}`` placeholders become clickhouse-driver's
client-side ``%(name)s`` parameters (the driver escapes values; nothing is formatted in here).
Only DDL differs (``migrations.cluster_statements``): with ``?cluster=NAME`` each node gets local
MergeTree tables and the ``events`` / ``sessions`` names become Distributed tables sharded by
account, so every account's rows — and every session — live on one shard.

    clickhouse://user:password@host:9000/mediastats                  one server
    clickhouse://host:9000/mediastats?cluster=two_shards&nodes=h1:9000,h2:9000&http=8123
    clickhouse://host:9000/mediastats?cluster=two_shards&replicated=1&http=8123      replicated

With ``replicated=1`` the local tables are ``Replicated*MergeTree`` and the DDL runs once
``ON CLUSTER`` from ``host`` (the servers need ZooKeeper/Keeper and ``{shard}``/``{replica}``
macros; ``nodes`` is not needed). A replicated table drops a block identical to one it already
has (``insert_deduplicate``, on by default), so an insert whose answer was lost is sent again.

Queries use the native protocol (port 9000); inserts go to the HTTP interface (``http``, default
8123) as one ``JSONEachRow`` body, the same bytes chdb takes — the native protocol would need every
value converted to its column type first.
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
from clickhouse_driver import Client

from mediastats.storage.base import Columns, Params, StorageError
from mediastats.storage.migrations import (
    MIGRATIONS,
    cluster_statements,
    replicated_bookkeeping_statements,
    server_statements,
)

_PLACEHOLDER = re.compile(r"\{(\w+):[^{}]+\}")
_IN_LIST = re.compile(r"\bIN\s+\{(\w+):Array\(")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
# Sends of one insert on a replicated cluster: a retried identical body is deduplicated there.
_REPLICATED_INSERT_ATTEMPTS = 3
# Reads and writes of a shard go to one replica: the entry node's own when it is one of the shard's
# (prefer_localhost_replica, on by default), else the first healthy one listed in <remote_servers>.
# Replication is asynchronous, and the session-facts fold reads the sessions an insert has just
# written (storage/facts.py): with the default (a random replica per query) it read a replica the
# insert had not reached yet now and then (2 of 26 test runs), and the view was never written.
_SAME_REPLICA = {"load_balancing": "in_order"}


def driver_sql(sql: str) -> str:
    """``{name:Type}`` → ``%(name)s``; literal ``%`` doubled for the driver's formatting."""
    return _PLACEHOLDER.sub(lambda m: f"%({m.group(1)})s", sql.replace("%", "%%"))


class ClickHouseStorage:
    name = "clickhouse"
    rollups = True

    def __init__(self, url: str) -> None:
        parsed = urlparse(url)
        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        self.database = (parsed.path or "/mediastats").strip("/") or "mediastats"
        self.cluster = options.pop("cluster", None)
        self.replicated = _flag(options.pop("replicated", "0"), "replicated")
        if self.replicated and not self.cluster:
            raise ValueError("replicated=1 needs cluster=NAME in MEDIASTATS_CLICKHOUSE_URL")
        nodes = [n for n in options.pop("nodes", "").split(",") if n]
        host, port = parsed.hostname or "127.0.0.1", parsed.port or 9000
        auth = {"user": parsed.username or "default", "password": parsed.password or ""}
        self._settings = {"distributed_product_mode": "local", "insert_distributed_sync": 1, **_SAME_REPLICA}
        self._client = Client(host=host, port=port, settings=self._settings, **auth)
        # DDL runs on every node of a cluster (ON CLUSTER needs ZooKeeper, which is optional).
        self._nodes = [
            Client(host=n.split(":")[0], port=int(n.split(":")[1] if ":" in n else 9000), **auth) for n in nodes
        ] or [self._client]
        self._lock = threading.Lock()
        self._insert_url = f"http://{host}:{options.pop('http', '8123')}/"
        self._http = httpx.Client(timeout=120, auth=(auth["user"], auth["password"]))

    def migrate(self) -> None:
        with self._lock:
            if self.replicated:
                self._migrate_on_cluster()
                return
            for node in self._nodes:
                node.execute(f"CREATE DATABASE IF NOT EXISTS {self.database}")
                node.execute(
                    f"CREATE TABLE IF NOT EXISTS {self.database}.schema_migrations (version UInt32) "
                    "ENGINE = MergeTree ORDER BY version"
                )
                applied = {int(r[0]) for r in node.execute(f"SELECT version FROM {self.database}.schema_migrations")}
                for version in sorted(MIGRATIONS):
                    if version in applied:
                        continue
                    statements = (
                        cluster_statements(version, self.database, self.cluster)
                        if self.cluster
                        else server_statements(version, self.database)
                    )
                    for statement in statements:
                        node.execute(statement)
                    node.execute(f"INSERT INTO {self.database}.schema_migrations (version) VALUES", [(version,)])

    def _migrate_on_cluster(self) -> None:
        """Every statement once, from the entry node: ``ON CLUSTER`` DDL reaches every replica (the
        server waits for all of them and raises if one failed), and the backfill INSERTs go through
        Distributed tables. Versions are recorded cluster-wide (``replicated_bookkeeping_statements``),
        after a version's last statement, as in the per-node layout."""
        assert self.cluster  # checked in __init__
        # A re-run backfill must store its rows again (migrations._replicated_rollup_statements).
        settings = {"insert_deduplicate": 0}
        for statement in replicated_bookkeeping_statements(self.database, self.cluster):
            self._client.execute(statement, settings=settings)
        rows = self._client.execute(f"SELECT version FROM {self.database}.schema_migrations")
        applied = {int(r[0]) for r in rows}
        for version in sorted(set(MIGRATIONS) - applied):
            for statement in cluster_statements(version, self.database, self.cluster, replicated=True):
                self._client.execute(statement, settings=settings)
            self._client.execute(
                f"INSERT INTO {self.database}.schema_migrations (version) VALUES", [(version,)], settings=settings
            )

    def insert_json_rows(self, table: str, rows: bytes) -> None:
        if not rows:
            return
        params = {
            "query": f"INSERT INTO {self.database}.{table} FORMAT JSONEachRow",
            "insert_distributed_sync": "1",
            **_SAME_REPLICA,
        }
        # Only a replicated cluster may send the body again: it drops a block it already has. Once
        # stored elsewhere, a second copy would count every event twice.
        attempts = _REPLICATED_INSERT_ATTEMPTS if self.replicated else 1
        for attempt in range(1, attempts + 1):
            try:
                response = self._http.post(self._insert_url, params=params, content=rows)
                break
            except httpx.TransportError as exc:
                if attempt == attempts:
                    raise StorageError(f"insert failed: {exc}") from exc
            except httpx.HTTPError as exc:
                raise StorageError(f"insert failed: {exc}") from exc
        if response.status_code != 200:
            raise StorageError(f"insert failed: {response.text[:500]}")

    def query(self, sql: str, params: Params | None = None) -> Columns:
        # Old servers read ``x IN ('a', 'b')`` but not ``x IN ['a', 'b']``: bind IN lists as tuples.
        in_lists = set(_IN_LIST.findall(sql))
        text = driver_sql(sql.replace("{db}", self.database))
        values: dict[str, Any] = {
            k: tuple(v) if k in in_lists else (list(v) if isinstance(v, tuple) else v)
            for k, v in (params or {}).items()
        }
        with self._lock:
            try:
                rows, columns = self._client.execute(text, values, with_column_types=True)
            except Exception as exc:
                # The server's message without its stack trace.
                raise StorageError(str(exc).split("Stack trace")[0].strip()) from exc
        return Columns(names=tuple(c[0] for c in columns), rows=[tuple(_plain(v) for v in r) for r in rows])

    def ping(self) -> None:
        self.query("SELECT 1")

    def close(self) -> None:
        for node in {id(n): n for n in (*self._nodes, self._client)}.values():
            node.disconnect()
        self._http.close()


def _flag(value: str, name: str) -> bool:
    if value.lower() not in (*_TRUE, *_FALSE):
        raise ValueError(f"{name}={value} in MEDIASTATS_CLICKHOUSE_URL: use 1 or 0")
    return value.lower() in _TRUE


def _plain(value: Any) -> Any:
    """Driver values as chdb's JSON gives them (datetimes as text, NaN as None)."""
    if hasattr(value, "isoformat") and hasattr(value, "hour"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value != value:
        return None
    return value
