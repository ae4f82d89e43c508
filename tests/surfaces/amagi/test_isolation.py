"""Tenant isolation: another account's key never sees this one's data; a user-specific key sees
only its slices' channels and gets 403 for another channel. Also: ``--surface amagi`` serves
the same API at ``/api/...``."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from tests.conftest import Account
from tests.surfaces.amagi.amagi import ok, v2, view

T = datetime(2021, 9, 1, 18, tzinfo=UTC)
DAILY = {"type": "viewershipAnalytics", "startDate": "2021-09-01", "endDate": "2021-09-01", "interval": "DAILY"}


def two_channels(account: Account) -> None:
    account.send([*view("a", T, 1, channel_id="ch1"), *view("b", T, 2, channel_id="ch2")])


def test_another_accounts_key_sees_nothing(make_account: Callable[..., Account]) -> None:
    a, b = make_account("A"), make_account("B")
    two_channels(a)
    body = ok(v2(a, token=b.api_key, **DAILY))
    assert body["viewershipAnalytics"] == [] and body["totalSessions"] == 0
    assert ok(v2(a, token=b.api_key, **DAILY, channelId="ch1"))["totalSessions"] == 0
    assert ok(v2(a, token=b.api_key, type="channelList"))["viewershipChannels"] == []
    assert ok(v2(a, **DAILY))["totalSessions"] == 2


def test_user_key_sees_only_its_channels(account: Account) -> None:
    two_channels(account)
    key = account.user_key([account.slice("only ch1", channels=["ch1"])])["api_key"]
    body = ok(v2(account, token=key, **DAILY))
    assert body["totalSessions"] == 1 and body["totalViewershipMinutes"] == 1
    assert ok(v2(account, token=key, **DAILY, channelId="ch1"))["totalSessions"] == 1
    channels = ok(v2(account, token=key, type="channelList"))["viewershipChannels"]
    assert [c["channelId"] for c in channels] == ["ch1"]
    r = v2(account, token=key, **DAILY, channelId="ch2")
    assert r.status_code == 403 and r.json()["statusCode"] == 403 and "ch2" in r.json()["message"]
    r = v2(account, token=key, type="concurrentUsers", hoursLimit="1", channelId="ch2")
    assert r.status_code == 403


def test_surface_mounted_at_root(account: Account) -> None:
    """``serve --surface amagi``: the vendor's own paths, ``/api/v2``, on the same services."""
    from mediastats.app import create_app

    services = account.server.services
    settings = dataclasses.replace(services.settings, surface="amagi", background=False)
    two_channels(account)
    app = create_app(settings, services=services)

    async def calls() -> tuple[httpx.Response, httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://amagi") as c:
            headers = {"x-access-token": account.api_key}
            return (await c.get("/api/v2", params={**DAILY, "customerId": "x"}, headers=headers),
                    await c.get("/api/v2", params=DAILY))

    served, refused = asyncio.run(calls())
    assert served.status_code == 200 and served.json()["totalSessions"] == 2
    assert refused.status_code == 401 and refused.json()["statusCode"] == 401
