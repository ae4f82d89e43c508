"""Every error path in System73's shape, ``{"error": str}`` (CONTRACT §6), and the ping endpoints."""

from __future__ import annotations

import httpx
import pytest

from mediastats.storage.base import StorageError
from tests.conftest import Account, Server


def _is_error(r: httpx.Response, status: int, *words: str) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert list(body) == ["error"] and isinstance(body["error"], str)
    for word in words:
        assert word in body["error"]


@pytest.mark.parametrize(
    "path",
    ["/system73/summary", "/system73/summary/agg", "/system73/channels/ch1/stats/os/last_point",
     "/system73/channels/ch1/streams/s1/stats/throughput/agg"],
)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "not-a-key"}, {"Authorization": ""}])
def test_missing_or_bad_key_is_401(server: Server, path: str, headers: dict[str, str]) -> None:
    with server.client(headers=headers) as c:
        _is_error(c.get(path, params={"time": "live", "source": "cdn"}), 401)


def test_ingest_key_is_not_a_query_key(loaded: Account) -> None:
    with loaded.server.client(headers={"Authorization": loaded.ingest_key}) as c:
        _is_error(c.get("/system73/summary", params={"time": "live"}), 401)


def test_bearer_prefix_is_tolerated(loaded: Account) -> None:
    with loaded.server.client(headers={"Authorization": f"Bearer {loaded.api_key}"}) as c:
        assert c.get("/system73/summary/agg", params={"time": "live"}).status_code == 200


@pytest.mark.parametrize(
    "path", ["/system73/summary", "/system73/channels/ch1/summary/agg", "/system73/stats/os",
             "/system73/channels/ch1/streams/s1/stats/rebuffering/ratio/last_point"],
)
@pytest.mark.parametrize("time", [None, "", "2h", "LIVE"])
def test_missing_or_bad_time_is_400(s73: httpx.Client, path: str, time: str | None) -> None:
    params = {} if time is None else {"time": time}
    _is_error(s73.get(path, params=params), 400, "time")


@pytest.mark.parametrize(
    "path",
    ["/system73/stats/throughput/agg", "/system73/stats/buffer_health/avg/last_point",
     "/system73/channels/ch1/stats/content_request_response_times/avg",
     "/system73/channels/ch1/stats/content_request_response_time/avg/last_point",
     "/system73/channels/ch1/streams/s1/stats/buffer_filling_rate/avg",
     "/system73/channels/ch1/stats/dropped_frames/avg/last_point"],
)
@pytest.mark.parametrize("source", [None, "", "total", "CDN"])
def test_missing_or_bad_source_is_400_where_the_key_carries_it(
    s73: httpx.Client, path: str, source: str | None
) -> None:
    params = {"time": "live", **({} if source is None else {"source": source})}
    _is_error(s73.get(path, params=params), 400, "source")


@pytest.mark.parametrize(
    "path", ["/system73/stats/rebuffering/ratio", "/system73/stats/os", "/system73/stats/platforms/last_point",
             "/system73/channels/ch1/stats/connection_types"],
)
def test_optional_source_may_be_absent_but_not_bad(s73: httpx.Client, path: str) -> None:
    assert s73.get(path, params={"time": "live"}).status_code == 200
    _is_error(s73.get(path, params={"time": "live", "source": "both"}), 400, "source")


@pytest.mark.parametrize(
    ("params", "word"),
    [({"per_page": "0"}, "per_page"), ({"per_page": "-1"}, "per_page"), ({"per_page": "x"}, "per_page"),
     ({"per_page": "5", "page": "-1"}, "page"), ({"page": "first"}, "page")],
)
@pytest.mark.parametrize(
    "path", ["/system73/summary", "/system73/channels/ch1/summary", "/system73/channels/ch1/streams/s1/summary"]
)
def test_bad_pagination_is_400(s73: httpx.Client, path: str, params: dict[str, str], word: str) -> None:
    _is_error(s73.get(path, params={"time": "live", **params}), 400, word)


@pytest.mark.parametrize(
    "path", ["/system73/stats/nothing", "/system73/channels/ch1/stats/os/first_point",
             "/system73/channels/ch1/streams", "/system73/summary/agg/extra"],
)
def test_unknown_endpoint_is_404_in_the_vendor_shape(s73: httpx.Client, path: str) -> None:
    _is_error(s73.get(path, params={"time": "live"}), 404)


def test_daily_limit_is_429_and_refused_calls_do_not_count(loaded: Account) -> None:
    loaded.patch(daily_api_limit=2)
    with loaded.server.client(headers={"Authorization": loaded.api_key}) as c:
        _is_error(c.get("/system73/summary"), 400)  # not 2xx: not counted
        assert c.get("/system73/summary", params={"time": "live"}).status_code == 200
        assert c.get("/system73/stats/os/last_point", params={"time": "live"}).status_code == 200
        _is_error(c.get("/system73/summary/agg", params={"time": "live"}), 429, "limit")
        loaded.patch(daily_api_limit=3)
        assert c.get("/system73/summary/agg", params={"time": "live"}).status_code == 200
        # /ping needs no key and never counts.
        assert c.get("/system73/ping").status_code == 200


def test_ip_not_in_the_whitelist_is_403(loaded: Account) -> None:
    loaded.patch(ip_whitelist=["10.1.2.0/24"])
    with loaded.server.client(headers={"Authorization": loaded.api_key}) as c:
        _is_error(c.get("/system73/summary", params={"time": "live"}), 403)
    loaded.patch(ip_whitelist=["127.0.0.1"])
    with loaded.server.client(headers={"Authorization": loaded.api_key}) as c:
        assert c.get("/system73/summary", params={"time": "live"}).status_code == 200


def test_ping_needs_no_key(server: Server) -> None:
    with server.client() as c:
        for path in ("/system73/ping", "/system73/ping/db"):
            r = c.get(path)
            assert (r.status_code, r.text) == (200, "pong")


def test_ping_db_is_503_with_the_reason_when_the_store_is_down(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down() -> None:
        raise StorageError("connection refused")

    monkeypatch.setattr(server.services.storage, "ping", down)
    with server.client() as c:
        _is_error(c.get("/system73/ping/db"), 503, "connection refused")
        assert c.get("/system73/ping").status_code == 200


def test_errors_name_the_parameter(s73: httpx.Client) -> None:
    r = s73.get("/system73/stats/throughput/agg", params={"time": "live", "source": "total"})
    assert r.json() == {"error": "source 'total' is not one of cdn, p2p"}

