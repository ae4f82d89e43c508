"""Every error in Streamroot's shape: a non-200 status and ``{"message": ...}`` naming the parameter."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.surfaces.streamroot.conftest import Post, ok


def message(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"message"}, body
    return str(body["message"])


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"since": "1h", "from": "2025-03-01", "to": "2025-03-02"}, "since"),
        ({"since": "1h", "to": "2025-03-02"}, "since"),
        ({"since": "1h", "from": "2025-03-02"}, "since"),
        ({"from": "2025-03-01"}, "to"),
        ({"to": "2025-03-01"}, "from"),
        ({}, "since"),
        ({"since": "16x"}, "since"),
        ({"since": "h"}, "since"),
        ({"since": "0h"}, "since"),
        ({"since": 16}, "since"),
        ({"from": "yesterday", "to": "2025-03-02"}, "from"),
        ({"from": "2025-02-30", "to": "2025-03-02"}, "from"),
        ({"from": "2025-03-01", "to": "03/02/2025"}, "to"),
        ({"from": "2025-03-02", "to": "2025-03-01"}, "to"),
        ({"from": "2025-03-02", "to": "9999-12-31"}, "to"),
        ({"from": "99999999999999", "to": "99999999999999"}, "from"),
        ({"from": "1584441900000", "to": "1584441900000"}, "to"),
        ({"since": "1h", "interval": "5w"}, "interval"),
        ({"since": "1h", "interval": "29d"}, "interval"),
        ({"since": "1h", "interval": "673h"}, "interval"),
        ({"since": "1h", "interval": "10x"}, "interval"),
        ({"since": "1h", "interval": "1M"}, "interval"),
        ({"since": "1h", "interval": 10}, "interval"),
        ({"since": "1h", "content": 5}, "content"),
        ({"since": "1h", "platform": ["web-desktop"]}, "platform"),
    ],
)
def test_bad_parameters_are_400_naming_them(account: Account, post: Post, body: dict[str, Any], param: str) -> None:
    for endpoint in ("audience", "traffic/timeseries"):
        assert param in message(post(account, endpoint, body), 400)


def test_since_with_from_to_says_so(account: Account, post: Post) -> None:
    text = message(post(account, "audience", {"since": "16h", "from": "2025-03-01", "to": "2025-03-02"}), 400)
    assert text.startswith("invalid since param")


def test_bad_content_type(account: Account, post: Post) -> None:
    r = post(account, "bandwidth", {"since": "1h", "contentType": "both"})
    assert r.status_code == 400
    body = r.json()
    # The seed's own example for this error is {"error": "invalid content type"}; both keys are given.
    assert body["error"] == "invalid content type"
    assert "contentType" in body["message"] and set(body) == {"message", "error"}


def test_body_that_is_not_a_json_object(account: Account) -> None:
    headers = {"Authorization": f"API-Key {account.api_key}", "Content-Type": "application/json"}
    path = f"/streamroot/v3/customers/{account.id}/dna/data/traffic"
    with account.server.client() as c:
        assert "body" in message(c.post(path, content=b"{not json", headers=headers), 400)
        assert "body" in message(c.post(path, content=b"[1, 2]", headers=headers), 400)
        # An empty body is {}: no time range.
        assert "since" in message(c.post(path, content=b"", headers=headers), 400)


def test_missing_or_bad_key_is_401(account: Account, post: Post) -> None:
    path = f"/streamroot/v3/customers/{account.id}/dna/data/audience"
    with account.server.client() as c:
        message(c.post(path, json={"since": "1h"}), 401)
        message(c.post(path, json={"since": "1h"}, headers={"Authorization": f"Bearer {account.api_key}"}), 401)
        message(c.post(path, json={"since": "1h"}, headers={"Authorization": "API-Key"}), 401)
    message(post(account, "audience", {"since": "1h"}, key="not-a-key"), 401)
    message(post(account, "audience", {"since": "1h"}, key=account.ingest_key), 401)
    # A bad key wins over a bad body.
    message(post(account, "audience", {"since": "1x"}, key="not-a-key"), 401)


def test_foreign_customer_id_is_403(make_account: Any, post: Post) -> None:
    a, b = make_account("a"), make_account("b")
    assert "customer" in message(post(a, "audience", {"since": "1h"}, customer=b.id), 403)
    message(post(a, "platforms", {"since": "1h"}, customer="no-such-customer"), 403)


def test_unknown_endpoint_and_method(account: Account, post: Post) -> None:
    message(post(account, "viewers", {"since": "1h"}), 404)
    message(post(account, "audience/daily", {"since": "1h"}), 404)
    with account.server.client() as c:
        r = c.get(f"/streamroot/v3/customers/{account.id}/dna/data/audience",
                  headers={"Authorization": f"API-Key {account.api_key}"})
    assert "POST" in message(r, 405)


def test_daily_limit_is_429_and_counts_only_answered_calls(account: Account, post: Post) -> None:
    account.patch(daily_api_limit=2)
    message(post(account, "audience", {"from": "2025-03-01"}), 400)  # not counted
    ok(post(account, "audience", {"since": "1h"}))
    ok(post(account, "traffic", {"since": "1h"}))
    assert "limit" in message(post(account, "traffic", {"since": "1h"}), 429)


def test_ip_not_in_whitelist_is_403(account: Account, post: Post) -> None:
    account.patch(ip_whitelist=["10.1.2.3"])
    message(post(account, "audience", {"since": "1h"}), 403)
    account.patch(ip_whitelist=["127.0.0.0/8"])
    ok(post(account, "audience", {"since": "1h"}))


def test_range_too_long_for_2_minute_buckets_names_the_range(account: Account, post: Post) -> None:
    # 100 000 two-minute buckets are about 139 days; traffic has no such limit.
    body = {"from": "2024-01-01", "to": "2024-12-31"}
    assert message(post(account, "audience", body), 400).startswith("invalid to param")
    assert message(post(account, "audience", {"since": "30w"}), 400).startswith("invalid since param")
    assert ok(post(account, "traffic", body))["cdn"] == 0
    assert ok(post(account, "bandwidth", {"since": "26w"}))["max"] == 0
