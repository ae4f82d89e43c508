"""The replicated layout on real servers: ZooKeeper and 2 shards × 2 replicas of Debian's
clickhouse-server 18.16 (``tests/storage/cluster.py``, ``replicas=2``), behind ``?replicated=1``.

The storage-contract script migrates (``ON CLUSTER``), ingests and must answer as chdb does, while
every shard's second replica fetches nothing (replication lagging behind each insert); then
every replica must hold its shard's rows (copied by replication, not written twice), the
versions must be recorded once for the whole cluster, and an insert body sent again — to the same
node or another — must be dropped as a duplicate by every table it reaches.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from clickhouse_driver import Client

from mediastats.storage import clickhouse_backend, migrations
from mediastats.storage.clickhouse_backend import ClickHouseStorage
from tests.storage import cluster, zookeeper
from tests.storage.test_storage_contract import run_backend

pytestmark = [
    pytest.mark.skipif(not cluster.available(), reason="Debian clickhouse-server is not installed"),
    pytest.mark.skipif(not zookeeper.available(), reason="Debian zookeeper is not installed"),
]

# What the contract script stores (test_storage_contract.SCRIPT), counted by hand: per account,
# 12 sessions of a view_start, 7 heartbeats of 60 s played and one ad impression.
EVENTS_PER_ACCOUNT = 12 * (1 + 7 + 1)
PLAYED_PER_ACCOUNT = 12 * 7 * 60_000
OnEach = Callable[[str], list[tuple[Any, ...]]]


def _settled(read: Callable[[], Any], want: Callable[[Any], bool], timeout: float = 20) -> Any:
    """Replicas fetch new parts in the background: poll until ``want`` holds (or give up)."""
    deadline = time.time() + timeout
    while True:
        value = read()
        if want(value) or time.time() > deadline:
            return value
        time.sleep(0.2)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[cluster.Cluster]:
    started = cluster.Cluster(tmp_path_factory.mktemp("replicated"), shards=2, replicas=2)
    try:
        yield started.start()
    finally:
        started.stop()


@pytest.fixture
def on_each(nodes: cluster.Cluster) -> Iterator[OnEach]:
    """The first row of one query on every node, in node order (s1r1, s1r2, s2r1, s2r2)."""
    clients = [Client("127.0.0.1", port=n.tcp) for n in nodes.nodes]
    yield lambda sql: [tuple(c.execute(sql)[0]) for c in clients]
    for c in clients:
        c.disconnect()


def test_two_shards_of_two_replicas(tmp_path: Path, nodes: cluster.Cluster, on_each: OnEach) -> None:
    # Ingest and queries while every shard's second replica fetches nothing: replication lags
    # behind an insert, and what ingest reads back (the session-facts fold reads the sessions it
    # has just written) must come from the replica the insert went to, not one that lags.
    storage = ClickHouseStorage(nodes.url())
    storage.migrate()  # the tables first: SYSTEM STOP FETCHES holds the tables that exist
    storage.close()
    lagging = [Client("127.0.0.1", port=n.tcp) for n in nodes.nodes if n.replica == 2]
    for node in lagging:
        node.execute("SYSTEM STOP FETCHES")
    try:
        assert run_backend(nodes.url()) == run_backend(str(tmp_path / "chdb"))
    finally:
        for node in lagging:
            node.execute("SYSTEM START FETCHES")
            node.disconnect()

    # Every replica has its shard's rows: one account per shard, the same rows on both replicas.
    per_node = "SELECT uniqExact(account_id), count(), sum(played_ms) FROM mediastats.events_local"
    one_account = [(1, EVENTS_PER_ACCOUNT, PLAYED_PER_ACCOUNT)] * 4
    assert _settled(lambda: on_each(per_node), lambda v: v == one_account) == one_account
    accounts = on_each("SELECT any(account_id) FROM mediastats.events_local")
    assert accounts[0] == accounts[1] != accounts[2] == accounts[3]
    # The views fed one replica; the replicated rollups and sessions reached the other.
    derived = ("SELECT (SELECT sum(n_events) FROM mediastats.rollup_streams_5m_local),"
               " (SELECT sum(n_events) FROM mediastats.rollup_devices_1h_local),"
               " (SELECT uniqExact(session_id) FROM mediastats.sessions_local)")
    want = [(EVENTS_PER_ACCOUNT, EVENTS_PER_ACCOUNT, 12)] * 4
    assert _settled(lambda: on_each(derived), lambda v: v == want) == want

    # Versions are recorded once for the cluster: another entry node migrates nothing again.
    other = ClickHouseStorage(nodes.url().replace(f":{nodes.nodes[0].tcp}/", f":{nodes.nodes[3].tcp}/"))
    other.migrate()
    versions = sorted(r[0] for r in other.query("SELECT version FROM {db}.schema_migrations").rows)
    assert versions == sorted(migrations.MIGRATIONS)
    other.close()


def test_an_insert_sent_again_is_dropped_as_a_duplicate(nodes: cluster.Cluster, on_each: OnEach) -> None:
    storage = ClickHouseStorage(nodes.url())
    body = _heartbeats("acc-c", 5)
    total = ("SELECT count(), sum(played_ms), (SELECT sum(n_events) FROM mediastats.rollup_streams_5m),"
             " (SELECT uniqExact(session_id) FROM mediastats.sessions WHERE account_id = 'acc-c')"
             " FROM mediastats.events")
    before = storage.query(total).rows[0]
    storage.insert_json_rows("events", body)
    after = storage.query(total).rows[0]
    assert after == (before[0] + 5, before[1] + 5000, before[2] + 5, 2)
    # Again to the same node, then to another entry node (a client retry that changed node).
    storage.insert_json_rows("events", body)
    other_entry = ClickHouseStorage(nodes.url().replace(f"http={nodes.nodes[0].http}", f"http={nodes.nodes[3].http}"))
    other_entry.insert_json_rows("events", body)
    other_entry.close()
    assert storage.query(total).rows[0] == after
    # ... on both replicas of acc-c's shard, and on none of the other's.
    acc_c = "SELECT count() FROM mediastats.events_local WHERE account_id = 'acc-c'"
    holders = _settled(lambda: on_each(acc_c), lambda v: sorted(v) == [(0,), (0,), (5,), (5,)])
    assert sorted(holders) == [(0,), (0,), (5,), (5,)]
    storage.close()


def test_the_rollup_backfill_counts_stored_events_once(nodes: cluster.Cluster, on_each: OnEach,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Events stored before migration 2 reach the rollups once, on both replicas; a re-run of the
    migration (one that died half-way) leaves the same rows, neither doubled nor dropped."""
    url = nodes.url(database="backfill")  # a database of its own, on the same cluster
    monkeypatch.setattr(clickhouse_backend, "MIGRATIONS", {1: migrations.MIGRATIONS[1]})
    storage = ClickHouseStorage(url)
    storage.migrate()  # version 1 only: no rollups yet
    storage.insert_json_rows("events", _heartbeats("acc-d", 7) + b"\n" + _heartbeats("acc-e", 4))
    monkeypatch.undo()
    storage.migrate()
    per_node = "SELECT (SELECT sum(n_events) FROM backfill.rollup_streams_1h_local), count() FROM backfill.events_local"
    want = [(4, 4), (4, 4), (7, 7), (7, 7)]  # sorted: which shard holds which account is the hash's choice
    assert sorted(_settled(lambda: on_each(per_node), lambda v: sorted(v) == want)) == want
    for statement in migrations.cluster_statements(2, "backfill", cluster.CLUSTER, replicated=True):
        storage._client.execute(statement, settings={"insert_deduplicate": 0})  # as migrate() runs them
    assert sorted(_settled(lambda: on_each(per_node), lambda v: sorted(v) == want)) == want
    # Through the Distributed table: one replica per shard answers, and replication is asynchronous.
    totals = _settled(lambda: storage.query("SELECT sum(n_events), sum(played_ms) FROM {db}.rollup_devices_1h").rows,
                      lambda v: v == [(11, 11000)])
    assert totals == [(11, 11000)]
    storage.close()


def _heartbeats(account: str, n: int) -> bytes:
    """``n`` heartbeat rows of one account, a minute apart, as the ingestor would send them."""
    return "\n".join(
        json.dumps({"account_id": account, "ts": f"{datetime.fromtimestamp(ms / 1000, UTC):%Y-%m-%d %H:%M:%S}",
                    "ts_ms": ms, "type": "heartbeat", "session_id": f"{account}-s{i % 2}", "played_ms": 1000})
        for i, ms in enumerate(range(1790000000000, 1790000000000 + n * 60_000, 60_000))
    ).encode()
