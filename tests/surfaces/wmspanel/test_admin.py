"""The operator side of the WMSPanel "API setup": enable/disable the API, generate a new key
(the old one stops working at once), manage the whitelist; over the admin API and the CLI."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from mediastats.cli import app as cli
from tests.conftest import ADMIN_TOKEN, Account
from tests.surfaces.wmspanel.wms import assert_error, wms_get

RANGE = {"from": "2024-01-01", "to": "2024-01-02"}


def test_enable_and_disable_the_api(account: Account) -> None:
    assert account.patch(api_enabled=False)["api_enabled"] is False
    assert_error(wms_get(account, "data_slices"), 403, "disabled")
    assert account.patch(api_enabled=True)["api_enabled"] is True
    assert wms_get(account, "data_slices").status_code == 200


def test_generate_a_new_key(account: Account) -> None:
    with account.server.admin() as c:
        r = c.post(f"/admin/v1/accounts/{account.id}/keys/rotate")
    assert r.status_code == 200, r.text
    fresh = r.json()
    assert set(fresh) == {"client_id", "api_key"}
    assert_error(wms_get(account, "players_stats", **RANGE), 403, "credentials")
    assert wms_get(account, "players_stats", key=fresh, **RANGE).status_code == 200


def test_rotating_keeps_user_keys(account: Account) -> None:
    user = account.user_key([account.slice("s", servers=["e"])])
    with account.server.admin() as c:
        assert c.post(f"/admin/v1/accounts/{account.id}/keys/rotate").status_code == 200
    assert wms_get(account, "players_stats", key=user, **RANGE).status_code == 200


def test_keys_are_url_safe(account: Account) -> None:
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    user = account.user_key([account.slice("s")])
    for value in (account.client_id, account.api_key, user["client_id"], user["api_key"]):
        assert set(value) <= allowed, value
    with account.server.client() as c:  # put in the URL unencoded, as WMSPanel scripts do
        r = c.get(f"/wmspanel/v1/data_slices?client_id={account.client_id}&api_key={account.api_key}")
    assert r.status_code == 200


def test_whitelist_is_validated(account: Account) -> None:
    with account.server.admin() as c:
        r = c.patch(f"/admin/v1/accounts/{account.id}", json={"ip_whitelist": ["300.1.1.1"]})
    assert r.status_code == 400
    assert account.patch(ip_whitelist=["192.0.2.1", "2001:db8::/48"])["ip_whitelist"] == [
        "192.0.2.1", "2001:db8::/48"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _cli(runner: CliRunner, account: Account, *args: str) -> str:
    result = runner.invoke(cli, [*args, "--server", account.server.url, "--admin-token", ADMIN_TOKEN])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_set_whitelist_limit_and_api(runner: CliRunner, account: Account) -> None:
    _cli(runner, account, "accounts", "set", account.id, "--ip-whitelist", "10.9.9.9,10.8.0.0/16")
    assert_error(wms_get(account, "data_slices"), 403, "whitelist")
    _cli(runner, account, "accounts", "set", account.id, "--ip-whitelist", "")
    assert wms_get(account, "data_slices").status_code == 200
    _cli(runner, account, "accounts", "set", account.id, "--api-disabled")
    assert_error(wms_get(account, "data_slices"), 403, "disabled")
    _cli(runner, account, "accounts", "set", account.id, "--api-enabled", "--daily-api-limit", "7")
    assert wms_get(account, "data_slices").headers["X-RateLimit-Limit"] == "7"


def test_cli_rotate_key(runner: CliRunner, account: Account) -> None:
    output = _cli(runner, account, "keys", "rotate", account.id)
    assert "api_key" in output
    assert_error(wms_get(account, "data_slices"), 403, "credentials")
