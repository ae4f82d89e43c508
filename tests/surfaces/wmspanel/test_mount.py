"""``mediastats serve --surface wmspanel`` also serves the API at ``/v1/...``, so a WMSPanel
script works by changing only the host."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx

from mediastats.app import create_app
from tests.conftest import Account
from tests.surfaces.wmspanel.wms import views


def test_surface_mounted_at_the_root(account: Account) -> None:
    account.send(views("2024-07-01T10:00:00Z", 2, protocol="RTMP"))
    services = account.server.services
    app = create_app(replace(services.settings, surface="wmspanel"), services=services)
    params = {"client_id": account.client_id, "api_key": account.api_key, "from": "2024-07-01", "to": "2024-07-01"}

    async def call(path: str, **overrides: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://api.example") as c:
            return await c.get(path, params={**params, **overrides})

    root = asyncio.run(call("/v1/players_stats"))
    prefixed = asyncio.run(call("/wmspanel/v1/players_stats"))
    assert root.status_code == prefixed.status_code == 200
    assert root.json() == prefixed.json() == {
        "status": "Ok", "stats": [{"date": "2024-07-01", "Unknown": 0, "Flash": 2}]}
    slices = asyncio.run(call("/v1/data_slices")).json()
    assert slices["status"] == "Ok" and slices["data_slices"][0]["name"] == "Full data slice"
    bad = asyncio.run(call("/v1/devices_stats", **{"from": "nope"}))
    assert bad.status_code == 400
    assert bad.json() == {"status": "Error", "message": "from: 'nope' is not a date as YYYY-MM-DD, e.g. 2014-08-01"}


def test_not_at_the_root_without_the_option(account: Account) -> None:
    with account.server.client() as c:
        r = c.get("/v1/players_stats", params={"client_id": account.client_id, "api_key": account.api_key})
    assert r.status_code in (404, 405)
