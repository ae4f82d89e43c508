"""Filters and who sees what: ``server``, ``server`` + ``stream`` (real-time), ``stream``, slices
limited to servers or channels, user-specific keys, and accounts that never see each other."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import Account, Clock
from tests.surfaces.wmspanel.wms import UA, assert_error, full_slice, stats, views, wms_get

DAY = "2024-05-06"
RANGE = {"from": DAY, "to": DAY}


@pytest.fixture
def fleet(account: Account) -> Account:
    """Five views on 2024-05-06:

        edge-1 / news   live/news    Safari iPhone, Chrome Windows
        edge-1 / sport  live/sport   Chrome Windows
        edge-2 / news   live/news    RTMP (Flash, Unknown device), RTMP (Flash, Unknown device)
    """
    account.send([
        *views(f"{DAY}T08:00:00Z", server_id="edge-1", channel_id="news", stream_id="live/news",
               user_agent=UA["iphone_safari"]),
        *views(f"{DAY}T09:00:00Z", server_id="edge-1", channel_id="news", stream_id="live/news",
               user_agent=UA["win_chrome"]),
        *views(f"{DAY}T10:00:00Z", server_id="edge-1", channel_id="sport", stream_id="live/sport",
               user_agent=UA["win_chrome"]),
        *views(f"{DAY}T11:00:00Z", 2, server_id="edge-2", channel_id="news", stream_id="live/news",
               protocol="RTMP"),
    ])
    return account


def test_whole_account(fleet: Account) -> None:
    assert stats(fleet, "players_stats", **RANGE) == [
        {"date": DAY, "Unknown": 0, "Flash": 2, "Chrome": 2, "Safari": 1}]
    assert stats(fleet, "devices_stats", **RANGE) == [
        {"date": DAY, "Unknown": 2, "Windows": 2, "iPhone": 1}]


def test_server_filter(fleet: Account) -> None:
    assert stats(fleet, "players_stats", server="edge-1", **RANGE) == [
        {"date": DAY, "Unknown": 0, "Flash": 0, "Chrome": 2, "Safari": 1}]
    assert stats(fleet, "devices_stats", server="edge-2", **RANGE) == [{"date": DAY, "Unknown": 2}]
    assert stats(fleet, "devices_stats", server="edge-7", **RANGE) == []


def test_stream_filter_alone_keeps_the_days(fleet: Account) -> None:
    assert stats(fleet, "players_stats", stream="live/news", **RANGE) == [
        {"date": DAY, "Unknown": 0, "Flash": 2, "Chrome": 1, "Safari": 1}]


def test_server_and_stream_give_todays_live_views(account: Account, clock: Clock) -> None:
    """One entry for today: the views of that stream on that server active in the last 60 s."""
    now = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
    clock.set(now)

    def at(seconds_ago: int) -> str:
        return (now - timedelta(seconds=seconds_ago)).isoformat().replace("+00:00", "Z")

    on = {"server_id": "edge-1", "stream_id": "live/tv"}
    account.send([
        # Active in the window: started 2 min ago, heartbeat 30 s ago.
        {"ts": at(120), "type": "view_start", "session_id": "a", "user_agent": UA["win_chrome"], **on},
        {"ts": at(30), "type": "heartbeat", "session_id": "a", "played_ms": 30_000},
        # Started 10 s ago.
        {"ts": at(10), "type": "view_start", "session_id": "b", "user_agent": UA["iphone_safari"], **on},
        # Ended 5 min ago: not active any more.
        {"ts": at(400), "type": "view_start", "session_id": "c", "user_agent": UA["win_chrome"], **on},
        {"ts": at(300), "type": "view_end", "session_id": "c"},
        # Another stream, another server.
        {"ts": at(20), "type": "view_start", "session_id": "d", "server_id": "edge-1", "stream_id": "live/x"},
        {"ts": at(20), "type": "view_start", "session_id": "e", "server_id": "edge-2", "stream_id": "live/tv"},
    ])
    live = {"server": "edge-1", "stream": "live/tv"}
    assert stats(account, "players_stats", **live) == [
        {"date": "2025-06-01", "Unknown": 0, "Flash": 0, "Chrome": 1, "Safari": 1}]
    assert stats(account, "devices_stats", **live, **{"from": "2014-01-01", "to": "2014-12-31"}) == [
        {"date": "2025-06-01", "Unknown": 0, "Windows": 1, "iPhone": 1}]
    quiet = {"server": "edge-9", "stream": "live/tv"}
    assert stats(account, "players_stats", **quiet) == [{"date": "2025-06-01", "Unknown": 0, "Flash": 0}]


def test_slice_limited_to_servers(fleet: Account) -> None:
    edge2 = fleet.slice("edge 2", servers=["edge-2"])
    assert stats(fleet, "players_stats", data_slice=edge2, **RANGE) == [
        {"date": DAY, "Unknown": 0, "Flash": 2}]
    # A server filter narrows inside the slice; it never widens it.
    assert stats(fleet, "players_stats", data_slice=edge2, server="edge-1", **RANGE) == []


def test_slice_limited_to_channels(fleet: Account) -> None:
    sport = fleet.slice("sport", channels=["sport"])
    assert stats(fleet, "devices_stats", data_slice=sport, **RANGE) == [
        {"date": DAY, "Unknown": 0, "Windows": 1}]
    both = fleet.slice("edge-1 news", servers=["edge-1"], channels=["news"])
    assert stats(fleet, "players_stats", data_slice=both, **RANGE) == [
        {"date": DAY, "Unknown": 0, "Flash": 0, "Chrome": 1, "Safari": 1}]


def test_user_key_sees_only_its_slice(fleet: Account) -> None:
    sport = fleet.slice("sport", channels=["sport"])
    key = fleet.user_key([sport])
    expected = [{"date": DAY, "Unknown": 0, "Flash": 0, "Chrome": 1}]
    # data_slice is optional for a user key: its own slice is used.
    assert stats(fleet, "players_stats", key=key, **RANGE) == expected
    assert stats(fleet, "players_stats", key=key, data_slice=sport, **RANGE) == expected
    assert_error(wms_get(fleet, "players_stats", key=key, data_slice=full_slice(fleet), **RANGE), 403)
    listed = wms_get(fleet, "data_slices", key=key).json()
    assert listed == {"status": "Ok", "data_slices": [{"id": sport, "name": "sport"}]}


def test_user_key_with_two_slices(fleet: Account) -> None:
    sport = fleet.slice("sport", channels=["sport"])
    edge2 = fleet.slice("edge 2", servers=["edge-2"])
    key = fleet.user_key([sport, edge2])
    assert stats(fleet, "players_stats", key=key, **RANGE) == [
        {"date": DAY, "Unknown": 0, "Flash": 2, "Chrome": 1}]
    assert stats(fleet, "players_stats", key=key, data_slice=edge2, **RANGE) == [
        {"date": DAY, "Unknown": 0, "Flash": 2}]
    assert len(wms_get(fleet, "data_slices", key=key).json()["data_slices"]) == 2


def test_accounts_never_see_each_other(fleet: Account, make_account: Callable[..., Account]) -> None:
    other = make_account("other")
    other.send(views(f"{DAY}T12:00:00Z", 3, server_id="edge-1", stream_id="live/news"))
    assert stats(other, "players_stats", **RANGE) == [{"date": DAY, "Unknown": 3, "Flash": 0}]
    assert stats(other, "players_stats", server="edge-1", **RANGE) == [{"date": DAY, "Unknown": 3, "Flash": 0}]
    assert stats(fleet, "devices_stats", server="edge-1", **RANGE) == [
        {"date": DAY, "Unknown": 0, "Windows": 2, "iPhone": 1}]
    # Another account's slice id is not yours, with either account's key.
    assert_error(wms_get(fleet, "players_stats", data_slice=full_slice(other), **RANGE), 403, "slice")
    names = [s["name"] for s in wms_get(other, "data_slices", show_servers="1").json()["data_slices"]]
    assert names == ["Full data slice"]
    assert wms_get(other, "data_slices", show_servers="true").json()["data_slices"][0]["server_ids"] == ["edge-1"]
