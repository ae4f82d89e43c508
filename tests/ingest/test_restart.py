"""Data and dedup survive a restart, including kill -9; one process owns a data dir."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers import ServeProcess

TS = "2026-10-02T08:00:00Z"


def test_kill_9_keeps_acknowledged_events_and_their_ids(tmp_path: Path) -> None:
    serve = ServeProcess(tmp_path / "data").start()
    try:
        with serve.admin() as admin:
            acct = admin.post("/admin/v1/accounts", json={"name": "durable"}).json()
        headers = {"Authorization": f"Bearer {acct['ingest_key']}"}
        batch = [{"ts": TS, "type": "heartbeat", "session_id": f"s{i}", "event_id": f"e{i}", "played_ms": 1000}
                 for i in range(50)]
        with serve.client() as c:
            assert c.post("/v1/events", json=batch, headers=headers).json()["accepted"] == 50
        serve.kill(signal.SIGKILL)
        serve.start()
        with serve.client() as c:
            # The retried batch is recognised after the crash: ids were rebuilt from the store.
            assert c.post("/v1/events", json=batch, headers=headers).json() == {
                "accepted": 0, "duplicates": 50, "rejected": []}
            r = c.post("/v1/query", headers={"Authorization": f"Bearer {acct['api_key']}"},
                       json={"metrics": ["viewing_time_ms", "active_views"],
                             "date_range": ["2026-10-02", "2026-10-02"]})
            assert r.status_code == 200, r.text
            assert r.json()["results"] == [{"viewing_time_ms": 50_000, "active_views": 50}]
    finally:
        serve.kill(signal.SIGTERM)


def test_second_server_on_the_same_data_dir_fails_clearly(tmp_path: Path) -> None:
    with ServeProcess(tmp_path / "data"):
        second = subprocess.run(
            [sys.executable, "-m", "mediastats", "serve", "--data-dir", str(tmp_path / "data"), "--port", "1"],
            capture_output=True, text=True, timeout=60,
        )
    assert second.returncode == 1
    assert "in use by pid" in second.stdout + second.stderr
