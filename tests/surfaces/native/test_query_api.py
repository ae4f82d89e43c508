"""POST /v1/query and the listings, over real HTTP, with numbers counted by hand."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Account

DAY = "2026-09-14"


def ask(account: Account, body: dict[str, Any], key: str | None = None) -> httpx.Response:
    with account.server.client() as c:
        return c.post("/v1/query", json=body, headers={"Authorization": f"Bearer {key or account.api_key}"})


@pytest.fixture
def watched(account: Account) -> Account:
    """Two views on 'news' (one spans 10:58–11:02), one on 'sport' by the same viewer."""
    account.send([
        {"ts": f"{DAY}T10:58:00Z", "type": "view_start", "session_id": "a", "channel_id": "news",
         "viewer_id": "alice", "server_id": "edge-1"},
        {"ts": f"{DAY}T11:02:00Z", "type": "heartbeat", "session_id": "a", "played_ms": 240_000,
         "rebuffer_ms": 10_000, "bytes_cdn": 3_000_000},
        {"ts": f"{DAY}T11:30:00Z", "type": "view_start", "session_id": "b", "channel_id": "news",
         "viewer_id": "bob", "server_id": "edge-2", "delivery": "p2p"},
        {"ts": f"{DAY}T11:31:00Z", "type": "heartbeat", "session_id": "b", "played_ms": 60_000, "bytes_p2p": 600_000},
        {"ts": f"{DAY}T12:10:00Z", "type": "view_start", "session_id": "c", "channel_id": "sport",
         "viewer_id": "alice", "server_id": "edge-1"},
        {"ts": f"{DAY}T12:11:00Z", "type": "view_end", "session_id": "c", "played_ms": 60_000},
    ])
    return account


def test_hourly_views_concurrency_and_time(watched: Account) -> None:
    r = ask(watched, {
        "metrics": ["views", "active_views", "viewing_time_ms", "rebuffering_ratio"],
        "date_range": [f"{DAY}T10:00:00Z", f"{DAY}T13:00:00Z"], "interval": "hour",
    })
    assert r.status_code == 200, r.text
    assert r.json()["results"] == [
        {"time": f"{DAY}T10:00:00Z", "views": 1, "active_views": 1, "viewing_time_ms": 0, "rebuffering_ratio": 0},
        # View a spans the hour boundary: active in both hours, counted as a view in the first only.
        {"time": f"{DAY}T11:00:00Z", "views": 1, "active_views": 2, "viewing_time_ms": 300_000,
         "rebuffering_ratio": round(10_000 / 310_000, 4)},
        {"time": f"{DAY}T12:00:00Z", "views": 1, "active_views": 1, "viewing_time_ms": 60_000, "rebuffering_ratio": 0},
    ]
    assert r.json()["meta"]["total_rows"] == 3


def test_breakdown_unique_viewers_filters_and_order(watched: Account) -> None:
    r = ask(watched, {
        "metrics": ["views", "unique_viewers", "bytes_total"], "dimensions": ["channel_id"],
        "date_range": [DAY, DAY], "order_by": [["views", "desc"]],
    })
    assert r.json()["results"] == [
        {"channel_id": "news", "views": 2, "unique_viewers": 2, "bytes_total": 3_600_000},
        {"channel_id": "sport", "views": 1, "unique_viewers": 1, "bytes_total": 0},
    ]
    total = ask(watched, {"metrics": ["unique_viewers"], "date_range": [DAY, DAY]})
    assert total.json()["results"] == [{"unique_viewers": 2}]  # alice twice, bob once
    only = ask(watched, {"metrics": ["views"], "date_range": [DAY, DAY],
                         "filters": [["is", "server_id", ["edge-1"]]]})
    assert only.json()["results"] == [{"views": 2}]
    p2p = ask(watched, {"metrics": ["viewing_time_ms"], "date_range": [DAY, DAY], "source": "p2p"})
    assert p2p.json()["results"] == [{"viewing_time_ms": 60_000}]


def test_pagination(watched: Account) -> None:
    body = {"metrics": ["views"], "dimensions": ["channel_id"], "date_range": [DAY, DAY], "limit": 1}
    first = ask(watched, body | {"page": 1}).json()
    second = ask(watched, body | {"page": 2}).json()
    past = ask(watched, body | {"page": 3}).json()
    assert [r["channel_id"] for r in first["results"] + second["results"]] == ["news", "sport"]
    assert past["results"] == [] and past["meta"]["total_rows"] == 2


def test_listings_and_a_user_key_sees_only_its_slice(watched: Account) -> None:
    with watched.server.client() as c:
        h = {"Authorization": f"Bearer {watched.api_key}"}
        assert c.get("/v1/channels", headers=h).json() == {"results": ["news", "sport"]}
        assert c.get("/v1/servers", headers=h).json() == {"results": ["edge-1", "edge-2"]}
    sport = watched.slice("sport only", channels=["sport"])
    key = watched.user_key([sport])["api_key"]
    r = ask(watched, {"metrics": ["views"], "dimensions": ["channel_id"], "date_range": [DAY, DAY]}, key=key)
    assert r.json()["results"] == [{"channel_id": "sport", "views": 1}]
    with watched.server.client() as c:
        assert c.get("/v1/channels", headers={"Authorization": f"Bearer {key}"}).json() == {"results": ["sport"]}


def test_another_account_sees_nothing(watched: Account, make_account: Any) -> None:
    other = make_account("other")
    r = ask(watched, {"metrics": ["views", "viewing_time_ms"], "date_range": [DAY, DAY]}, key=other.api_key)
    assert r.json()["results"] == [{"views": 0, "viewing_time_ms": 0}]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"metrics": ["viewz"], "date_range": [DAY, DAY]}, "metrics"),
        ({"metrics": ["views"], "dimensions": ["planet"], "date_range": [DAY, DAY]}, "dimensions"),
        ({"metrics": ["views"], "date_range": [DAY, DAY], "timezone": "Mars/Olympus"}, "timezone"),
        ({"metrics": ["views"], "date_range": ["2026-09-15", "2026-09-14"]}, "date_range"),
        ({"metrics": ["views"], "date_range": ["2026-09-15"]}, "date_range"),
        ({"metrics": ["views"], "date_range": ["yesterday", DAY]}, "date_range"),
        ({"metrics": ["views"], "date_range": ["2000-01-01", "2026-01-01"], "interval": "1m"}, "interval"),
        ({"metrics": ["views"], "date_range": [DAY, DAY], "interval": "fortnight"}, "interval"),
        ({"metrics": ["views"], "since": "forever"}, "since"),
        ({"metrics": ["views"], "since": "1h", "date_range": [DAY, DAY]}, "since"),
        ({"metrics": ["views"], "date_range": [DAY, DAY], "limit": -1}, "limit"),
        ({"metrics": ["views"], "date_range": [DAY, DAY], "page": 0}, "page"),
        ({"metrics": ["views"], "date_range": [DAY, DAY], "source": "satellite"}, "source"),
        ({"metrics": ["views"], "date_range": [DAY, DAY], "order_by": [["bytes_p2p", "desc"]]}, "order_by"),
        ({"metrics": ["views"], "date_range": [DAY, DAY], "filters": [["like", "os", ["x"]]]}, "filters"),
        ({"metrics": "views", "date_range": [DAY, DAY]}, "metrics"),
        ({"metrics": ["views"], "date_range": [DAY, DAY], "colour": 1}, "colour"),
    ],
)
def test_bad_queries_are_400_naming_the_field(account: Account, body: dict[str, Any], field: str) -> None:
    r = ask(account, body)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["field"] == field


def test_unknown_metric_suggests_close_names(account: Account) -> None:
    r = ask(account, {"metrics": ["unique_viewer"], "date_range": [DAY, DAY]})
    assert "did you mean 'unique_viewers'" in r.json()["error"]["message"]


def test_bad_key_is_401(account: Account) -> None:
    r = ask(account, {"metrics": ["views"], "date_range": [DAY, DAY]}, key="wrong")
    assert r.status_code == 401
    assert ask(account, {"metrics": ["views"], "date_range": [DAY, DAY]}, key=account.ingest_key).status_code == 401
