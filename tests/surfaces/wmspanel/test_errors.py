"""Every error of the WMSPanel surface, in its shape: ``{"status": "Error", "message": str}``
with the HTTP status (CONTRACT §6)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import Account
from tests.surfaces.wmspanel.wms import assert_error, full_slice, views, wms_get

ENDPOINTS = ("players_stats", "devices_stats", "daily_stats")
RANGE = {"from": "2024-01-01", "to": "2024-01-31"}


@pytest.mark.parametrize("endpoint", ("data_slices", *ENDPOINTS))
def test_missing_or_wrong_credentials_are_403(account: Account, endpoint: str) -> None:
    other_key = {"client_id": account.client_id, "api_key": "not-the-key"}
    assert_error(wms_get(account, endpoint, key={}, **RANGE), 403, "credentials")
    assert_error(wms_get(account, endpoint, key={"client_id": account.client_id}, **RANGE), 403)
    assert_error(wms_get(account, endpoint, key={"api_key": account.api_key}, **RANGE), 403)
    assert_error(wms_get(account, endpoint, key=other_key, **RANGE), 403, "credentials")
    unknown = {"client_id": "c0000000000000000", "api_key": account.api_key}
    assert_error(wms_get(account, endpoint, key=unknown, **RANGE), 403)


def test_the_ingest_key_is_not_an_api_key(account: Account) -> None:
    key = {"client_id": account.client_id, "api_key": account.ingest_key}
    assert_error(wms_get(account, "players_stats", key=key, **RANGE), 403)


def test_another_accounts_key_pair_does_not_mix(make_account: Callable[..., Account]) -> None:
    a, b = make_account("a"), make_account("b")
    mixed = {"client_id": a.client_id, "api_key": b.api_key}
    assert_error(wms_get(a, "players_stats", key=mixed, **RANGE), 403)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"to": "2024-01-31"}, ("from",)),
        ({"from": "2024-01-01"}, ("to",)),
        ({"from": "", "to": "2024-01-31"}, ("from",)),
        ({"from": "2024-1-1", "to": "2024-01-31"}, ("from", "2024-1-1")),
        ({"from": "2024-01-01", "to": "2024-02-30"}, ("to", "2024-02-30")),
        ({"from": "01/01/2024", "to": "2024-01-31"}, ("from",)),
        ({"from": "20240101", "to": "2024-01-31"}, ("from",)),
        ({"from": "2024-01-01T00:00:00Z", "to": "2024-01-31"}, ("from",)),
        ({"from": "2024-02-01", "to": "2024-01-31"}, ("from", "after")),
    ],
)
def test_bad_dates_are_400(account: Account, endpoint: str, params: dict[str, str], names: tuple[str, ...]) -> None:
    assert_error(wms_get(account, endpoint, **params), 400, *names)


def test_live_stats_with_malformed_dates_are_400(account: Account) -> None:
    r = wms_get(account, "players_stats", server="edge-1", stream="live/tv", **{"from": "yesterday"})
    assert_error(r, 400, "from")


def test_user_key_on_a_foreign_slice_is_403(account: Account, make_account: Callable[..., Account]) -> None:
    mine, theirs = account.slice("mine", servers=["edge-1"]), account.slice("theirs", servers=["edge-2"])
    key = account.user_key([mine])
    for slice_id in (theirs, full_slice(account)):
        assert_error(wms_get(account, "players_stats", key=key, data_slice=slice_id, **RANGE), 403, "slice")
    stranger = make_account("stranger")
    foreign = full_slice(stranger)
    assert_error(wms_get(account, "devices_stats", data_slice=foreign, **RANGE), 403, "slice")
    assert_error(wms_get(account, "daily_stats", data_slice="no-such-slice", **RANGE), 403, "slice")


def test_ip_not_in_whitelist_is_403(account: Account) -> None:
    account.patch(ip_whitelist=["192.0.2.0/24", "2001:db8::/32"])
    assert_error(wms_get(account, "players_stats", **RANGE), 403, "whitelist")
    assert_error(wms_get(account, "data_slices"), 403, "whitelist")


def test_api_disabled_is_403(account: Account) -> None:
    account.patch(api_enabled=False)
    assert_error(wms_get(account, "players_stats", **RANGE), 403, "disabled")


def test_daily_limit_reached_is_429(account: Account) -> None:
    account.patch(daily_api_limit=1)
    assert wms_get(account, "players_stats", **RANGE).status_code == 200
    assert_error(wms_get(account, "players_stats", **RANGE), 429, "limit")


def test_daily_stats_range_is_bounded(account: Account) -> None:
    assert_error(wms_get(account, "daily_stats", **{"from": "2020-01-01", "to": "2024-01-01"}), 400, "days")


def test_unknown_calls_and_wrong_methods_are_in_the_vendor_shape(account: Account) -> None:
    creds = {"client_id": account.client_id, "api_key": account.api_key}
    with account.server.client() as c:
        assert_error(c.post("/wmspanel/v1/players_stats", params=creds), 405, "GET")
        assert_error(c.delete("/wmspanel/v1/data_slices", params=creds), 405, "GET")
        assert_error(c.get("/wmspanel/v1/streams_stats", params=creds), 404, "streams_stats")
        assert_error(c.get("/wmspanel/v1/players_stats/extra", params=creds), 404)


def test_dates_outside_what_the_store_holds_answer_empty(account: Account) -> None:
    account.send(views("2024-01-05T10:00:00Z"))
    assert wms_get(account, "players_stats", **{"from": "1900-01-01", "to": "1969-12-31"}).json() == {
        "status": "Ok", "stats": []}
    wide = wms_get(account, "players_stats", **{"from": "0001-01-01", "to": "9999-12-31"})
    assert wide.status_code == 200
    assert [d["date"] for d in wide.json()["stats"]] == ["2024-01-05"]
