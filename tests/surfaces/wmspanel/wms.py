"""Helpers for the WMSPanel surface tests: calls the way a WMSPanel script makes them, and
events crafted to produce known counts."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from tests.conftest import Account

PREFIX = "/wmspanel"
_ids = itertools.count()

UA = {
    "iphone_safari": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
                     "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "mac_safari": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                  "Version/17.4 Safari/605.1.15",
    "win_ie11": "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "win_chrome": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/124.0.0.0 Safari/537.36",
    "win_safari": "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/534.57.2 (KHTML, like Gecko) "
                  "Version/5.1.7 Safari/534.57.2",
    "ipad_avplayer": "AppleCoreMedia/1.0.0.21E236 (iPad; U; CPU OS 17_4 like Mac OS X; en_us)",
}


def wms_get(account: Account, endpoint: str, *, key: dict[str, str] | None = None,
            prefix: str = PREFIX, headers: dict[str, str] | None = None, **params: Any) -> httpx.Response:
    """GET ``/wmspanel/v1/<endpoint>`` with the account's (or ``key``'s) client_id and api_key."""
    creds = key if key is not None else {"client_id": account.client_id, "api_key": account.api_key}
    query = {**creds, **{k: v for k, v in params.items() if v is not None}}
    with account.server.client() as c:
        return c.get(f"{prefix}/v1/{endpoint}", params=query, headers=headers)


def stats(account: Account, endpoint: str, **params: Any) -> list[dict[str, Any]]:
    """The ``stats`` of a successful call (asserting the success shape)."""
    r = wms_get(account, endpoint, **params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body) == ["status", "stats"] and body["status"] == "Ok", body
    return list(body["stats"])


def full_slice(account: Account) -> str:
    r = wms_get(account, "data_slices")
    assert r.status_code == 200, r.text
    return str(r.json()["data_slices"][0]["id"])


def views(ts: str, count: int = 1, **fields: Any) -> list[dict[str, Any]]:
    """``count`` views (a view_start each, a fresh session each) at ``ts``."""
    return [{"ts": ts, "type": "view_start", "session_id": f"s{next(_ids)}", **fields} for _ in range(count)]


def assert_error(r: httpx.Response, status: int, *words: str) -> None:
    """WMSPanel's error shape (CONTRACT §6), with the status code, and a message naming ``words``."""
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"status", "message"} and body["status"] == "Error", body
    assert isinstance(body["message"], str) and body["message"]
    for word in words:
        assert word in body["message"], body
