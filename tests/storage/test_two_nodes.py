"""Two stateless ``serve`` processes behind one PostgreSQL and one ClickHouse cluster
(docs/deploy.md): what one node is told, the other answers, and each job is done once.

Real processes and servers: PostgreSQL 15 (tests/meta/postgres.py), a 2-shard ClickHouse
18.16 cluster (tests/storage/cluster.py), and two ``mediastats serve`` on their own data dirs
sharing both through ``MEDIASTATS_DATABASE_URL`` / ``MEDIASTATS_CLICKHOUSE_URL``. Both run the
push worker and the report scheduler; the claims in PostgreSQL (outbox lease, journal delete,
offline flip, report period row) must make every notification and report happen exactly once.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from mediastats.meta.db import create_engine_for
from mediastats.reports.tables import report_schedules
from tests.helpers import ServeProcess
from tests.meta import postgres
from tests.push.receiver import Receiver
from tests.reliability.crash import wait_until
from tests.storage import cluster

pytestmark = [
    pytest.mark.skipif(not cluster.available(), reason="Debian clickhouse-server is not installed"),
    pytest.mark.skipif(not postgres.available(), reason="PostgreSQL binaries are not installed"),
]


class Deployment:
    def __init__(self, pg: postgres.Postgres, nodes: list[ServeProcess]) -> None:
        self.pg = pg
        self.nodes = nodes
        self.engine = create_engine_for(pg.url)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("two-nodes")
    pg = postgres.Postgres(Path(tempfile.mkdtemp(prefix="mediastats-pg-")) / "pg").start()
    ch = cluster.Cluster(root / "clickhouse").start()
    env = {"MEDIASTATS_DATABASE_URL": pg.url, "MEDIASTATS_CLICKHOUSE_URL": ch.url(),
           "MEDIASTATS_PUSH_ALLOW_PRIVATE": "1"}
    nodes: list[ServeProcess] = []
    try:
        for name in ("a", "b"):  # one after the other: the first runs the migrations
            nodes.append(ServeProcess(root / name, extra_env=env).start())
        deployment = Deployment(pg, nodes)
        yield deployment
        deployment.engine.dispose()
    finally:
        for node in nodes:
            node.kill()
        ch.stop()
        pg.stop()


@pytest.fixture(scope="module")
def account(deployment: Deployment) -> dict[str, Any]:
    a, b = deployment.nodes
    with a.admin() as admin:
        created = admin.post("/admin/v1/accounts", json={"name": "two nodes"})
    assert created.status_code == 201, created.text
    with b.admin() as admin:  # the other node knows it at once: one metadata store
        listed = admin.get("/admin/v1/accounts").json()
    assert created.json()["id"] in {acc["id"] for acc in listed}
    return dict(created.json())


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _send(node: ServeProcess, account: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    with node.client(headers={"Authorization": f"Bearer {account['ingest_key']}"}) as c:
        r = c.post("/v1/events", json=events)
    assert r.status_code == 200 and not r.json()["rejected"], r.text
    return dict(r.json())


def _api(node: ServeProcess, account: dict[str, Any]) -> Any:
    return node.client(headers={"Authorization": f"Bearer {account['api_key']}"})


def test_each_publish_is_pushed_once_whichever_node_took_it(deployment: Deployment, account: dict[str, Any]) -> None:
    b = deployment.nodes[1]
    receiver = Receiver()
    try:
        with _api(b, account) as c:
            assert c.post("/v1/push/subscriptions", json={"url": receiver.url, "events": ["stream_publish"]}
                          ).status_code == 201
        now = _ms(datetime.now(UTC))
        streams = [f"cam-{uuid.uuid4().hex[:6]}" for _ in range(8)]
        for i, stream in enumerate(streams):
            node = deployment.nodes[i % 2]
            _send(node, account, [{"ts": now - 1000 + i, "type": "stream_publish", "server_id": f"edge-{i % 3}",
                                   "stream_id": stream, "event_id": f"pub-{stream}"}])
        wait_until(lambda: sum(len(got.body.get("publish", [])) for got in list(receiver)) >= len(streams), timeout=20)
        time.sleep(2.0)  # both workers poll every 0.2 s: a second copy would have come by now
        pushed = Counter(e["stream"].split("/", 1)[1] for got in list(receiver) for e in got.body.get("publish", []))
        assert pushed == Counter(streams)
        ids = [got.headers.get("webhook-id") for got in list(receiver)]
        assert len(ids) == len(set(ids))  # no message sent twice (by the other node)
    finally:
        receiver.close()


def test_one_offline_alert_and_one_online_alert(deployment: Deployment, account: dict[str, Any]) -> None:
    a, b = deployment.nodes
    receiver = Receiver()
    try:
        with a.admin() as admin:
            r = admin.patch(f"/admin/v1/accounts/{account['id']}", json={"server_offline_after_s": 2})
        assert r.status_code == 200, r.text
        with _api(a, account) as c:
            assert c.post("/v1/push/subscriptions", json={
                "url": receiver.url, "events": ["server_offline", "server_online"]}).status_code == 201
        server = f"origin-{uuid.uuid4().hex[:6]}"
        _send(a, account, [{"ts": _ms(datetime.now(UTC)), "type": "server_sync", "server_id": server}])
        assert wait_until(lambda: any(got.body.get("status") == "offline" for got in list(receiver)), timeout=30)
        _send(b, account, [{"ts": _ms(datetime.now(UTC)), "type": "server_sync", "server_id": server}])
        assert wait_until(lambda: any(got.body.get("status") == "online" for got in list(receiver)), timeout=30)
        time.sleep(1.0)  # a silence of < 2 s after the online sync: no new alert yet
        statuses = [got.body["status"] for got in list(receiver) if got.body.get("server_id") == server]
        assert statuses[:2] == ["offline", "online"]
        assert statuses.count("online") == 1
    finally:
        receiver.close()
        with a.admin() as admin:
            admin.patch(f"/admin/v1/accounts/{account['id']}", json={"server_offline_after_s": 1200})


def test_a_backfill_taken_by_one_node_is_answered_by_the_other(deployment: Deployment,
                                                              account: dict[str, Any]) -> None:
    a, b = deployment.nodes
    day = (datetime.now(UTC) - timedelta(days=3)).replace(hour=12, minute=0, second=0, microsecond=0)
    params = {"from": day.strftime("%Y-%m-%d"), "to": day.strftime("%Y-%m-%d")}

    def viewing_time(node: ServeProcess) -> float:
        with _api(node, account) as c:
            r = c.post("/v1/query", json={"metrics": ["viewing_time_ms"], "date_range": [params["from"]] * 2})
        assert r.status_code == 200, r.text
        rows = r.json()["results"]
        return float(rows[0]["viewing_time_ms"]) if rows else 0.0

    credentials = {"client_id": account["client_id"], "api_key": account["api_key"]}
    with b.client() as c:
        slices = c.get("/wmspanel/v1/data_slices", params=credentials).json()["data_slices"]

    def wms_daily(node: ServeProcess) -> Any:
        with node.client() as c:
            r = c.get("/wmspanel/v1/daily_stats", params={**params, **credentials, "data_slice": slices[0]["id"]})
        assert r.status_code == 200, r.text
        return r.json()

    before_b = wms_daily(b)  # node B answers (and would cache) the closed day first
    session = uuid.uuid4().hex
    _send(a, account, [
        {"ts": _ms(day), "type": "view_start", "session_id": session, "event_id": f"{session}-0"},
        {"ts": _ms(day) + 30_000, "type": "heartbeat", "session_id": session, "played_ms": 30_000,
         "event_id": f"{session}-1"},
    ])
    assert viewing_time(b) >= 30_000
    assert wms_daily(b) != before_b  # no stale answer from B's memory: the store is shared


def test_each_closed_report_period_is_built_once(deployment: Deployment, account: dict[str, Any]) -> None:
    a, b = deployment.nodes
    with _api(a, account) as c:
        r = c.post("/v1/report-schedules", json={"type": "viewershipAnalytics", "interval": "DAILY",
                                                  "params": {"customerId": "c", "timezone": "UTC"}})
    assert r.status_code == 201, r.text
    schedule_id = r.json()["scheduleId"]
    created = _ms(datetime.now(UTC) - timedelta(days=3))
    with deployment.engine.begin() as conn:  # as if it had been made three days ago
        conn.execute(report_schedules.update().where(report_schedules.c.id == schedule_id).values(created_ms=created))

    def reports(node: ServeProcess) -> list[dict[str, Any]]:
        with _api(node, account) as c:
            got = c.get(f"/v1/report-schedules/{schedule_id}")
        return list(got.json().get("reports", [])) if got.status_code == 200 else []

    assert wait_until(lambda: len(reports(b)) >= 3, timeout=60)
    time.sleep(2.0)
    built = reports(a)
    periods = [r["fromDate"] for r in built]
    assert len(periods) == len(set(periods)) == 3, built
    with deployment.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT from_date, count(*) FROM report_files WHERE schedule_id = :s "
                                    "GROUP BY from_date"), {"s": schedule_id}).all()
    assert sorted(n for _, n in rows) == [1, 1, 1]


def test_a_retry_sent_to_the_other_node_is_a_duplicate(deployment: Deployment, account: dict[str, Any]) -> None:
    a, b = deployment.nodes
    session = uuid.uuid4().hex
    now = _ms(datetime.now(UTC))
    batch = [{"ts": now - 60_000 + i * 10_000, "type": "heartbeat", "session_id": session, "played_ms": 10_000,
              "stream_id": session, "event_id": f"{session}-{i}"} for i in range(5)]
    assert _send(a, account, batch)["accepted"] == 5
    assert _send(b, account, batch) == {"accepted": 0, "duplicates": 5, "rejected": []}  # B never saw it
    assert _send(b, account, [*batch, {**batch[0], "event_id": f"{session}-new"}])["accepted"] == 1
    with _api(a, account) as c:
        r = c.post("/v1/query", json={"metrics": ["viewing_time_ms"], "since": "2h",
                                      "filters": [["is", "stream_id", [session]]]})
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["viewing_time_ms"] == 60_000
