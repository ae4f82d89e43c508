"""Tenant isolation: another account's key never sees the data; a user-specific key sees only
its slices and gets 403 for a channel none of them covers (CONTRACT §2)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.conftest import Account

PATHS = [
    ("/system73/summary", {}), ("/system73/summary/agg", {}),
    ("/system73/stats/throughput/agg", {"source": "cdn"}), ("/system73/stats/os", {}),
    ("/system73/stats/rebuffering/ratio", {}), ("/system73/stats/os/last_point", {}),
]


@pytest.mark.parametrize(("path", "extra"), PATHS)
def test_another_accounts_key_sees_nothing(
    loaded: Account, s73: httpx.Client, make_account: Callable[..., Account], path: str, extra: dict[str, str]
) -> None:
    params = {"time": "live", **extra}
    other = make_account("other tenant")
    with other.server.client(headers={"Authorization": other.api_key}) as c:
        mine = s73.get(path, params=params).json()
        theirs = c.get(path, params=params).json()
    empty = s73.get(path.replace("/system73/", "/system73/channels/nobody/"), params=params).json()
    assert theirs != mine
    assert theirs == empty


def test_other_account_cannot_read_a_channel_by_name(loaded: Account, make_account: Callable[..., Account]) -> None:
    other = make_account("other tenant")
    with other.server.client(headers={"Authorization": other.api_key}) as c:
        r = c.get("/system73/channels/ch1/summary", params={"time": "live"})
    assert r.json() == [{"total_pages": 0, "page": 0, "results": []}]


def _user_client(account: Account, slice_ids: list[str]) -> httpx.Client:
    key = account.user_key(slice_ids)["api_key"]
    return account.server.client(headers={"Authorization": key})


def test_user_key_sees_only_its_channel(loaded: Account) -> None:
    with _user_client(loaded, [loaded.slice("ch2 only", channels=["ch2"])]) as c:
        listed = c.get("/system73/summary", params={"time": "live"}).json()
        agg = c.get("/system73/summary/agg", params={"time": "live"}).json()[0]
        own = c.get("/system73/channels/ch2/stats/os/last_point", params={"time": "live"})
        foreign = [
            c.get("/system73/channels/ch1/summary", params={"time": "live"}),
            c.get("/system73/channels/ch1/summary/agg", params={"time": "live"}),
            c.get("/system73/channels/ch1/streams/s1/stats/throughput/agg", params={"time": "live", "source": "cdn"}),
            c.get("/system73/channels/ch1/stats/os/last_point", params={"time": "live"}),
        ]
    assert [row["channel_id"] for row in listed] == ["ch2"]
    assert (agg["cdn_devices"], agg["p2p_devices"], agg["not_compatible_devices"]) == (0, 0, 1)
    assert agg["cdn_throughput"] == 20
    assert own.json()[0]["operating_systems"] == {"ANDROID": 1}
    for r in foreign:
        assert r.status_code == 403, r.text
        assert list(r.json()) == ["error"]


def test_user_key_of_two_slices_sees_both(loaded: Account) -> None:
    slices = [loaded.slice("ch1", channels=["ch1"]), loaded.slice("ch2", channels=["ch2"])]
    with _user_client(loaded, slices) as c:
        listed = c.get("/system73/summary", params={"time": "live"}).json()
    assert [row["channel_id"] for row in listed] == ["ch1", "ch2"]


def test_user_key_of_a_server_slice_filters_every_channel(loaded: Account) -> None:
    # The dataset names no server: a slice of server "edge-9" covers every channel but holds nothing.
    with _user_client(loaded, [loaded.slice("edge 9", servers=["edge-9"])]) as c:
        r = c.get("/system73/channels/ch1/summary", params={"time": "live"})
        agg = c.get("/system73/summary/agg", params={"time": "live"}).json()[0]
    assert r.json() == [{"total_pages": 0, "page": 0, "results": []}]
    assert agg["total_viewing_time"] == 0
