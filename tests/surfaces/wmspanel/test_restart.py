"""The daily call counter survives a restart (even kill -9), and ``serve --surface wmspanel``
answers WMSPanel calls at ``/v1/...``, in its own process."""

from __future__ import annotations

import signal
from pathlib import Path

from tests.helpers import ServeProcess


def test_daily_counter_survives_kill_9(tmp_path: Path) -> None:
    serve = ServeProcess(tmp_path / "data", args=["--surface", "wmspanel"]).start()
    try:
        with serve.admin() as admin:
            acct = admin.post("/admin/v1/accounts", json={"name": "counted"}).json()
            assert admin.patch(f"/admin/v1/accounts/{acct['id']}", json={"daily_api_limit": 3}).status_code == 200
        params = {"client_id": acct["client_id"], "api_key": acct["api_key"], "from": "2024-01-01", "to": "2024-01-01"}
        with serve.client() as c:
            assert c.get("/v1/players_stats", params=params).status_code == 200  # at the root
            assert c.get("/wmspanel/v1/players_stats", params=params).status_code == 200
        serve.kill(signal.SIGKILL)
        serve.start()
        with serve.client() as c:
            last = c.get("/v1/devices_stats", params=params)
            assert last.status_code == 200
            assert last.headers["X-RateLimit-Remaining"] == "0"
            refused = c.get("/v1/devices_stats", params=params)
            assert refused.status_code == 429
            assert refused.json()["status"] == "Error"
    finally:
        serve.kill(signal.SIGTERM)
