"""``--surface system73`` mounts the same routes at ``/`` for drop-in use (CONTRACT §2)."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient

from mediastats.app import create_app
from tests.conftest import Account


def test_root_mount_serves_the_vendor_paths(loaded: Account) -> None:
    services = loaded.server.services
    app = create_app(replace(services.settings, surface="system73"), services=services)
    client = TestClient(app)  # no lifespan: the running server owns the services
    headers = {"Authorization": loaded.api_key}
    prefixed = client.get("/system73/summary/agg", params={"time": "live"}, headers=headers)
    root = client.get("/summary/agg", params={"time": "live"}, headers=headers)
    assert root.status_code == 200, root.text
    assert root.json() == prefixed.json()
    assert client.get("/ping").text == "pong"
    assert client.get("/channels/ch1/stats/os/last_point", params={"time": "live"}, headers=headers).status_code == 200
    # Other doors are not shadowed by the catch-all of mistyped System73 paths.
    assert client.get("/stats/nothing").json() == {"error": "no such endpoint: GET /stats/nothing"}
    assert client.post("/v1/events", json=[]).status_code == 401
