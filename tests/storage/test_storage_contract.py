"""One storage suite, run on every backend that can be started here: chdb always, and a real
2-shard ClickHouse cluster (Debian's clickhouse-server 18.16) when it is installed.

The same Query objects run through the same planner SQL on each backend and must give the same
numbers, which proves the SQL stays in the portable subset (CLUSTER.md) and that sharding by
account keeps sessions whole.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.helpers import run_script
from tests.storage import cluster

# The same script runs in a fresh process per backend (chdb allows one data dir per process).
SCRIPT = textwrap.dedent(
    """
    import json, sys
    from datetime import datetime, UTC
    from pathlib import Path
    from mediastats.storage.chdb_backend import ChdbStorage
    from mediastats.storage.clickhouse_backend import ClickHouseStorage
    from mediastats.ingest.enrich import Enricher
    from mediastats.ingest.pipeline import Ingestor
    from mediastats.query import *
    import asyncio

    IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
              "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
    target = sys.argv[1]
    storage = ChdbStorage(Path(target)) if not target.startswith("clickhouse") else ClickHouseStorage(target)
    storage.migrate()
    ingestor = Ingestor(storage, Enricher())
    events = []
    for account in ("acc-a", "acc-b"):
        for i in range(12):
            sid = f"{account}-s{i}"
            start = 1790000000000 + i * 420_000
            events.append((account, {"ts": start, "type": "view_start", "session_id": sid, "event_id": f"{sid}-0",
                "channel_id": f"ch{i % 3}", "server_id": f"edge{i % 2}", "viewer_id": f"v{i % 5}",
                "delivery": "p2p" if i % 4 == 0 else "cdn",
                "user_agent": IPHONE}))
            for k in range(1, 8):
                events.append((account, {"ts": start + k * 60_000, "type": "heartbeat", "session_id": sid,
                    "played_ms": 60_000, "bytes_cdn": 1000 * k, "bytes_p2p": 10 * i, "buffer_ms": 1000.0 + k,
                    "event_id": f"{sid}-{k}"}))
            events.append((account, {"ts": start + 90_000, "type": "ad_impression", "session_id": sid, "ad_tag": "pre",
                "event_id": f"{sid}-ad"}))
    async def load():
        for account in ("acc-a", "acc-b"):
            batch = [e for a, e in events if a == account]
            r = await ingestor.ingest_dicts(account, batch)
            assert not r.rejected, r.rejected
            r = await ingestor.ingest_dicts(account, batch[:20])
    asyncio.run(load())
    T = TimeRange(datetime.fromtimestamp(1789990000, UTC), datetime.fromtimestamp(1790010000, UTC))
    sc = Scope("acc-a")
    queries = [
        Query(sc, ("views", "unique_viewers", "active_views", "viewing_time_ms", "bytes_total", "avg_buffer_ms",
                   "rebuffering_ratio", "ad_impressions", "started_played_ms"), T),
        Query(sc, ("views", "active_views", "viewing_time_ms"), T, dimensions=("channel_id",)),
        Query(sc, ("active_views", "bytes_cdn"), T, bucket=TEN_MINUTES),
        Query(sc, ("views",), T, bucket=DAY, timezone="US/Pacific"),
        Query(sc, ("active_views.max", "bandwidth_bps.p95"), T, bucket=HOUR),
        Query(sc, ("viewing_time_ms", "active_views"), T, source="p2p"),
        Query(Scope("acc-a", (SliceScope(servers=("edge1",)),)), ("views", "viewing_time_ms"), T),
        Query(sc, ("views",), T, dimensions=("s73_os", "span_class")),
        Query(sc, ("ad_impressions",), T, dimensions=("ad_tag",)),
        Query(sc, (), T, dimensions=("server_id",)),
        # Three UTC days (the daily rollups; their MVs on every backend) and the same by the hour.
        Query(sc, ("viewing_time_ms", "bytes_total", "views"), TimeRange(
            datetime.fromtimestamp(1789862400, UTC), datetime.fromtimestamp(1790121600, UTC)), bucket=DAY),
        Query(sc, ("viewing_time_ms", "ad_impressions"), TimeRange(
            datetime.fromtimestamp(1789862400, UTC), datetime.fromtimestamp(1790121600, UTC)), dimensions=("os",)),
        # T starts mid-minute (rollup + raw edge); this one is whole minutes (rollup only).
        Query(sc, ("viewing_time_ms", "avg_buffer_ms", "ad_events"), TimeRange(
            datetime.fromtimestamp(1789989960, UTC), T.end), bucket=TEN_MINUTES, dimensions=("s73_os",)),
    ]
    def plain(rows):
        return [{k: (round(v, 6) if isinstance(v, float) else v) for k, v in r.items() if k != "bucket"}
                for r in rows]
    out = []
    for q in queries:
        rows = plain(run_sync(storage, q).rows)
        # The same answer from raw events only (rollups and the sessions table off).
        storage.rollups = False
        raw = plain(run_sync(storage, q).rows)
        storage.rollups = True
        assert rows == raw, (q, rows, raw)
        out.append(rows)
    print(json.dumps(out, sort_keys=True))
    storage.close()
    """
)


def run_backend(target: str) -> list[object]:
    return list(run_script(SCRIPT, target))


@pytest.fixture(scope="module")
def chdb_answers(tmp_path_factory: pytest.TempPathFactory) -> list[object]:
    return run_backend(str(tmp_path_factory.mktemp("chdb")))


def test_chdb_answers_are_what_the_events_say(chdb_answers: list[object]) -> None:
    summary = chdb_answers[0][0]  # type: ignore[index]
    assert summary["views"] == 12 and summary["unique_viewers"] == 5
    assert summary["viewing_time_ms"] == 12 * 7 * 60_000  # retried events were not counted twice
    assert summary["ad_impressions"] == 12
    assert summary["started_played_ms"] == 12 * 7 * 60_000
    by_slice = chdb_answers[6][0]  # type: ignore[index]
    assert by_slice == {"views": 6, "viewing_time_ms": 6 * 7 * 60_000}
    assert chdb_answers[9] == [{"server_id": "edge0"}, {"server_id": "edge1"}]
    days = chdb_answers[10]  # type: ignore[index]
    assert [d["viewing_time_ms"] for d in days] == [0, 12 * 7 * 60_000, 0]  # type: ignore[index]
    assert chdb_answers[11] == [{"os": "iOS", "viewing_time_ms": 12 * 7 * 60_000, "ad_impressions": 12}]


@pytest.mark.skipif(not cluster.available(), reason="Debian clickhouse-server is not installed")
def test_two_shard_cluster_gives_the_same_answers(tmp_path: Path, chdb_answers: list[object]) -> None:
    nodes = cluster.Cluster(tmp_path / "cluster").start()
    try:
        assert run_backend(nodes.url()) == chdb_answers
        # Both shards hold rows: one account each (sharded by account).
        from clickhouse_driver import Client

        counts = [Client("127.0.0.1", port=n.tcp).execute("SELECT uniqExact(account_id) FROM mediastats.events_local")
                  for n in nodes.nodes]
        assert sorted(c[0][0] for c in counts) == [1, 1]
        # Each node's materialized view fed its own per-minute rollup from its events_local.
        rollups = [Client("127.0.0.1", port=n.tcp).execute(
            "SELECT uniqExact(account_id), sum(n_events) FROM mediastats.rollup_streams_5m_local") for n in nodes.nodes]
        events = [Client("127.0.0.1", port=n.tcp).execute("SELECT count() FROM mediastats.events_local")
                  for n in nodes.nodes]
        assert [r[0][0] for r in rollups] == [1, 1]
        assert [r[0][1] for r in rollups] == [e[0][0] for e in events]
    finally:
        nodes.stop()


@pytest.mark.skipif(not cluster.available(), reason="Debian clickhouse-server is not installed")
def test_single_server_gives_the_same_answers(tmp_path: Path, chdb_answers: list[object]) -> None:
    nodes = cluster.Cluster(tmp_path / "single", shards=1).start()
    try:
        assert run_backend(nodes.url(cluster=False)) == chdb_answers
    finally:
        nodes.stop()
