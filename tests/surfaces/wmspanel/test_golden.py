"""Seed 000's example responses, reproduced exactly from events crafted to produce them.

2014-10-17 has 96 views; each group below is one kind of client, so both the players and the
devices example of the seed come out of the same views:

    group                                   count  player   device
    Safari on iPhone                          6    Safari   iPhone
    Safari on a Mac                           3    Safari   Macintosh
    IE 11 on Windows                          3    MSIE     Windows
    RTMP playback, Windows browser           30    Flash    Windows
    RTMP playback, no user agent              9    Flash    Unknown
    AVPlayer on an iPad                       6    Unknown  iPad
    explicit os Linux, no user agent         12    Unknown  Linux
    explicit os Windows, no user agent       15    Unknown  Windows
    nothing known                            12    Unknown  Unknown

    players: Safari 9, MSIE 3, Flash 39, Unknown 6 + 12 + 15 + 12 = 45
    devices: iPhone 6, iPad 6, Macintosh 3, Linux 12, Windows 3 + 30 + 15 = 48, Unknown 9 + 12 = 21

2014-10-20 has 16: Safari on Windows 12 and IE 11 on Windows 4 (Windows 16); 2014-10-18/19 none.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Account
from tests.surfaces.wmspanel.wms import UA, full_slice, stats, views, wms_get


def seed_events() -> list[dict[str, Any]]:
    day1, day2 = "2014-10-17T{}:00:00Z", "2014-10-20T{}:00:00Z"
    return [
        *views(day1.format("08"), 6, user_agent=UA["iphone_safari"], protocol="HLS"),
        *views(day1.format("09"), 3, user_agent=UA["mac_safari"], protocol="HLS"),
        *views(day1.format("10"), 3, user_agent=UA["win_ie11"], protocol="HLS"),
        *views(day1.format("11"), 30, user_agent=UA["win_chrome"], protocol="RTMP"),
        *views(day1.format("12"), 9, protocol="RTMP"),
        *views(day1.format("13"), 6, user_agent=UA["ipad_avplayer"], protocol="HLS"),
        *views(day1.format("14"), 12, os="Linux"),
        *views(day1.format("15"), 15, os="Windows"),
        *views(day1.format("23"), 12),
        *views(day2.format("00"), 12, user_agent=UA["win_safari"], protocol="HLS"),
        *views(day2.format("22"), 4, user_agent=UA["win_ie11"], protocol="DASH"),
    ]


@pytest.fixture
def seeded(account: Account) -> Account:
    account.send(seed_events())
    return account


def test_players_stats_seed_example(seeded: Account) -> None:
    r = wms_get(seeded, "players_stats", **{"from": "2014-10-01", "to": "2014-10-31"},
                data_slice=full_slice(seeded))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {
        "status": "Ok",
        "stats": [
            {"Safari": 9, "Unknown": 45, "date": "2014-10-17", "MSIE": 3, "Flash": 39},
            {"Safari": 12, "Unknown": 0, "date": "2014-10-20", "MSIE": 4, "Flash": 0},
        ],
    }


def test_devices_stats_seed_example(seeded: Account) -> None:
    r = wms_get(seeded, "devices_stats", **{"from": "2014-10-01", "to": "2014-10-31"},
                data_slice=full_slice(seeded))
    assert r.status_code == 200
    assert r.json() == {
        "status": "Ok",
        "stats": [
            {"iPhone": 6, "iPad": 6, "Macintosh": 3, "Unknown": 21, "Linux": 12, "date": "2014-10-17",
             "Windows": 48},
            {"Unknown": 0, "date": "2014-10-20", "Windows": 16},
        ],
    }


def test_range_bounds_are_inclusive_whole_utc_days(seeded: Account) -> None:
    """``from`` and ``to`` are both included; a view at 23:00 of ``to`` counts, 00:00 after does not."""
    only_17 = stats(seeded, "players_stats", **{"from": "2014-10-17", "to": "2014-10-17"})
    assert [d["date"] for d in only_17] == ["2014-10-17"]
    assert only_17[0]["Unknown"] == 45
    assert stats(seeded, "players_stats", **{"from": "2014-10-18", "to": "2014-10-19"}) == []
    only_20 = stats(seeded, "devices_stats", **{"from": "2014-10-20", "to": "2014-10-20"})
    assert only_20 == [{"date": "2014-10-20", "Unknown": 0, "Windows": 16}]


def test_data_slices_seed_shape(account: Account) -> None:
    second = account.slice("DS2", channels=["news"])
    r = wms_get(account, "data_slices")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "Ok" and list(body) == ["status", "data_slices"]
    assert body["data_slices"][0]["name"] == "Full data slice"
    assert body["data_slices"][1] == {"id": second, "name": "DS2"}
    assert all(set(s) == {"id", "name"} and isinstance(s["id"], str) for s in body["data_slices"])


def test_data_slices_show_servers(account: Account) -> None:
    edges = account.slice("edges", servers=["edge-2", "edge-9"])
    news = account.slice("news", channels=["news"])
    account.send([
        *views("2024-03-01T10:00:00Z", server_id="edge-1", channel_id="news"),
        *views("2024-03-01T10:00:00Z", server_id="edge-2", channel_id="sport"),
        {"ts": "2024-03-01T10:00:00Z", "type": "server_sync", "server_id": "origin-1"},
    ])
    r = wms_get(account, "data_slices", show_servers="true")
    assert r.status_code == 200
    by_id = {s["id"]: s for s in r.json()["data_slices"]}
    full = r.json()["data_slices"][0]
    assert full["server_ids"] == ["edge-1", "edge-2", "origin-1"]  # every server of the account
    assert by_id[edges]["server_ids"] == ["edge-2", "edge-9"]  # the slice's own servers
    assert by_id[news]["server_ids"] == ["edge-1"]  # the servers seen in its channels
