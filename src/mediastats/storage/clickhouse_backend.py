"""A ClickHouse server or cluster (``MEDIASTATS_CLICKHOUSE_URL``), over the native protocol.

The query SQL is the same text as on chdb: ``{name:Type}`` placeholders become clickhouse-driver's
client-side ``%(name)s`` parameters (the driver escapes values; nothing is formatted in here).
Only DDL differs (``migrations.cluster_statements``): with ``?cluster=NAME`` each node gets local
MergeTree tables and the ``events`` / ``sessions`` names become Distributed tables sharded by
account, so every account's rows — and every session — live on one shard.

    clickhouse://user:password@host:9000/mediastats                  one server
    clickhouse://host:9000/mediastats?cluster=two_shards&nodes=h1:9000,h2:9000&http=8123

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
from mediastats.storage.migrations import MIGRATIONS, cluster_statements, server_statements

_PLACEHOLDER = re.compile(r"\{(\w+):[^{}]+\}")
_IN_LIST = re.compile(r"\bIN\s+\{(\w+):Array\(")


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
        nodes = [n for n in options.pop("nodes", "").split(",") if n]
        host, port = parsed.hostname or "127.0.0.1", parsed.port or 9000
        auth = {"user": parsed.username or "default", "password": parsed.password or ""}
        self._settings = {"distributed_product_mode": "local", "insert_distributed_sync": 1}
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

    def insert_json_rows(self, table: str, rows: bytes) -> None:
        if not rows:
            return
        params = {
            "query": f"INSERT INTO {self.database}.{table} FORMAT JSONEachRow",
            "insert_distributed_sync": "1",
        }
        try:
            response = self._http.post(self._insert_url, params=params, content=rows)
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


def _plain(value: Any) -> Any:
    """Driver values as chdb's JSON gives them (datetimes as text, NaN as None)."""
    if hasattr(value, "isoformat") and hasattr(value, "hour"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value != value:
        return None
    return value
