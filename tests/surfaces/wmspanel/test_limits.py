"""Account settings on the WMSPanel surface: the daily call limit (exact under concurrency, from
00:00 UTC, headers), the IP whitelist (addresses and CIDR, IPv4 and IPv6, X-Forwarded-For only
from trusted proxies), and what does and does not count."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import uvicorn

from mediastats.app import create_app
from tests.conftest import Account, Clock, Server, free_port
from tests.surfaces.wmspanel.wms import PREFIX, assert_error, wms_get

RANGE = {"from": "2024-01-01", "to": "2024-01-02"}


def test_limit_30_with_50_concurrent_calls_lets_exactly_30_through(account: Account) -> None:
    account.patch(daily_api_limit=30)
    params = {"client_id": account.client_id, "api_key": account.api_key, **RANGE}

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=account.server.url, timeout=60) as c:
            return await asyncio.gather(*(c.get(f"{PREFIX}/v1/players_stats", params=params) for _ in range(50)))

    answers = asyncio.run(burst())
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] * 30 + [429] * 20
    for r in answers:
        if r.status_code == 429:
            assert_error(r, 429, "limit")
    remaining = sorted(int(r.headers["X-RateLimit-Remaining"]) for r in answers if r.status_code == 200)
    assert remaining == list(range(30))  # each success took its own unit
    assert account.server.services.limiter.used(account.id) == 30


def test_rate_limit_headers(account: Account) -> None:
    account.patch(daily_api_limit=3)
    first = wms_get(account, "data_slices")
    second = wms_get(account, "players_stats", **RANGE)
    assert (first.headers["X-RateLimit-Limit"], first.headers["X-RateLimit-Remaining"]) == ("3", "2")
    assert (second.headers["X-RateLimit-Limit"], second.headers["X-RateLimit-Remaining"]) == ("3", "1")
    wms_get(account, "devices_stats", **RANGE)
    refused = wms_get(account, "devices_stats", **RANGE)
    assert refused.status_code == 429
    assert (refused.headers["X-RateLimit-Limit"], refused.headers["X-RateLimit-Remaining"]) == ("3", "0")


def test_default_limit_is_15000(account: Account) -> None:
    r = wms_get(account, "data_slices")
    assert r.headers["X-RateLimit-Limit"] == "15000"
    assert r.headers["X-RateLimit-Remaining"] == "14999"


def test_only_2xx_calls_count(account: Account) -> None:
    account.patch(daily_api_limit=2)
    for _ in range(3):
        assert wms_get(account, "players_stats", **{"from": "bad", "to": "2024-01-01"}).status_code == 400
        assert wms_get(account, "players_stats", data_slice="nope", **RANGE).status_code == 403
        assert wms_get(account, "players_stats", key={}, **RANGE).status_code == 403
    assert wms_get(account, "players_stats", **RANGE).status_code == 200
    assert wms_get(account, "devices_stats", **RANGE).status_code == 200
    assert wms_get(account, "devices_stats", **RANGE).status_code == 429


def test_a_changed_limit_applies_at_once(account: Account) -> None:
    account.patch(daily_api_limit=1)
    assert wms_get(account, "players_stats", **RANGE).status_code == 200
    assert wms_get(account, "players_stats", **RANGE).status_code == 429
    account.patch(daily_api_limit=2)
    assert wms_get(account, "players_stats", **RANGE).status_code == 200
    assert wms_get(account, "players_stats", **RANGE).status_code == 429


def test_limit_resets_at_midnight_utc(account: Account, clock: Clock) -> None:
    clock.set(datetime(2025, 3, 9, 23, 59, 58, tzinfo=UTC))
    account.patch(daily_api_limit=2)
    assert wms_get(account, "players_stats", **RANGE).status_code == 200
    assert wms_get(account, "players_stats", **RANGE).status_code == 200
    assert_error(wms_get(account, "players_stats", **RANGE), 429)
    clock.advance(timedelta(seconds=1))  # 23:59:59, same day
    assert_error(wms_get(account, "players_stats", **RANGE), 429)
    clock.advance(timedelta(seconds=2))  # 00:00:01 the next day
    r = wms_get(account, "players_stats", **RANGE)
    assert r.status_code == 200
    assert r.headers["X-RateLimit-Remaining"] == "1"


def test_whitelist_addresses_and_cidr(account: Account) -> None:
    account.patch(ip_whitelist=["127.0.0.1"])
    assert wms_get(account, "players_stats", **RANGE).status_code == 200
    account.patch(ip_whitelist=["127.0.0.0/8"])
    assert wms_get(account, "players_stats", **RANGE).status_code == 200
    account.patch(ip_whitelist=["10.0.0.0/8", "::1"])
    assert_error(wms_get(account, "players_stats", **RANGE), 403, "whitelist")
    account.patch(ip_whitelist=[])
    assert wms_get(account, "players_stats", **RANGE).status_code == 200


def test_whitelist_refusals_do_not_count(account: Account) -> None:
    account.patch(ip_whitelist=["10.1.2.3"], daily_api_limit=1)
    for _ in range(3):
        assert wms_get(account, "players_stats", **RANGE).status_code == 403
    account.patch(ip_whitelist=[])
    assert wms_get(account, "players_stats", **RANGE).status_code == 200


@pytest.fixture(scope="module")
def direct_url(server: Server) -> Iterator[str]:
    """A second listener on the same services that does not let uvicorn rewrite the peer from
    X-Forwarded-For (uvicorn trusts loopback by default), so only mediastats' own rule applies."""
    app = create_app(server.services.settings, services=server.services)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off",
                            proxy_headers=False)
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=30)


def forwarded_get(url: str, account: Account, forwarded: str) -> httpx.Response:
    params = {"client_id": account.client_id, "api_key": account.api_key, **RANGE}
    with httpx.Client(base_url=url, timeout=30) as c:
        return c.get(f"{PREFIX}/v1/players_stats", params=params, headers={"X-Forwarded-For": forwarded})


def test_forwarded_for_is_ignored_without_trusted_proxies(account: Account, direct_url: str) -> None:
    account.patch(ip_whitelist=["203.0.113.7"])
    assert_error(forwarded_get(direct_url, account, "203.0.113.7"), 403, "whitelist")
    account.patch(ip_whitelist=["127.0.0.1"])
    assert forwarded_get(direct_url, account, "203.0.113.7").status_code == 200


@pytest.fixture
def trusted_loopback(server: Server) -> Iterator[None]:
    """The operator configured the loopback address as a trusted proxy (MEDIASTATS_TRUSTED_PROXIES)."""
    services = server.services
    before = services.settings
    services.settings = replace(before, trusted_proxies=("127.0.0.1/32",))
    yield
    services.settings = before


@pytest.mark.usefixtures("trusted_loopback")
@pytest.mark.parametrize(
    ("whitelist", "forwarded", "status"),
    [
        (["203.0.113.7"], "203.0.113.7", 200),
        (["203.0.113.0/24"], "198.51.100.1, 203.0.113.99", 200),  # the nearest untrusted hop counts
        (["203.0.113.0/24"], "203.0.113.99, 198.51.100.1", 403),
        (["2001:db8::/32"], "2001:db8:0:1::5", 200),
        (["2001:db8::5"], "2001:db8::5", 200),
        (["2001:db8::/32"], "2001:db9::5", 403),
        (["203.0.113.7"], "not-an-ip", 403),
        (["127.0.0.1"], "203.0.113.7", 403),  # the proxy itself is not the caller
    ],
)
def test_forwarded_for_from_a_trusted_proxy(account: Account, direct_url: str, whitelist: list[str],
                                            forwarded: str, status: int) -> None:
    account.patch(ip_whitelist=whitelist)
    r = forwarded_get(direct_url, account, forwarded)
    assert r.status_code == status, r.text
    if status == 403:
        assert_error(r, 403, "whitelist")
