"""The subscriptions API: create / list / get / delete, its errors in the native shape, and
tenant isolation (another account never sees them; a user-specific key sees only its own)."""

from __future__ import annotations

from typing import Any

from tests.push.conftest import api


def native_error(r: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if field is not None:
        assert body["error"]["field"] == field, body
    return body["error"]  # type: ignore[no-any-return]


def test_create_list_get_delete(server, account, receivers, subscribe):
    url = receivers().url
    made = subscribe(account, url, ["stream_publish", "server_offline"], token="my-wms-token")
    assert made["token"] == "my-wms-token"
    assert made["secret"].startswith("whsec_")
    assert made["id"]
    with api(server, account.api_key) as c:
        listed = c.get("/v1/push/subscriptions").json()["subscriptions"]
        assert [s["id"] for s in listed] == [made["id"]]
        one = c.get(f"/v1/push/subscriptions/{made['id']}").json()
        assert one["url"] == url
        assert one["events"] == ["stream_publish", "server_offline"]
        assert one["token"] == "my-wms-token"
        assert one["status"] == "active"
        assert "secret" not in one  # shown once, at creation
        assert c.delete(f"/v1/push/subscriptions/{made['id']}").status_code == 204
        assert c.get("/v1/push/subscriptions").json() == {"subscriptions": []}
        native_error(c.get(f"/v1/push/subscriptions/{made['id']}"), 404)


def test_generated_token_and_secret_differ_per_subscription(account, receivers, subscribe):
    url = receivers().url
    a = subscribe(account, url, ["daily_stats"])
    b = subscribe(account, url, ["daily_stats"])
    assert a["token"] and b["token"] and a["token"] != b["token"]
    assert a["secret"] != b["secret"]


def test_errors_in_native_shape(server, account, receivers):
    url = receivers().url
    with server.client() as c:
        native_error(c.get("/v1/push/subscriptions"), 401)
        native_error(c.get("/v1/push/subscriptions", headers={"Authorization": "Bearer nope"}), 401)
        native_error(c.get("/v1/push/deliveries", headers={"Authorization": f"Bearer {account.ingest_key}"}), 401)
    with api(server, account.api_key) as c:
        native_error(c.post("/v1/push/subscriptions", json={"url": url, "events": ["viewers"]}), 400, "events")
        native_error(c.post("/v1/push/subscriptions", json={"url": url, "events": []}), 400, "events")
        native_error(c.post("/v1/push/subscriptions", json={"events": ["daily_stats"]}), 400, "url")
        native_error(c.post("/v1/push/subscriptions", json={"url": "ftp://x/y", "events": ["daily_stats"]}), 400, "url")
        native_error(c.post("/v1/push/subscriptions", json={"url": "not a url", "events": ["daily_stats"]}), 400,
                     "url")
        native_error(c.post("/v1/push/subscriptions", content=b"{", headers={"content-type": "application/json"}),
                     400)
        native_error(c.delete("/v1/push/subscriptions/sub-unknown"), 404)
        native_error(c.get("/v1/push/deliveries", params={"status": "weird"}), 400, "status")
        native_error(c.get("/v1/push/deliveries", params={"limit": 0}), 400, "limit")
        native_error(c.get("/v1/push/deliveries", params={"subscription_id": "sub-unknown"}), 404)
        native_error(c.get("/v1/push/nothing-here"), 404)


def test_ip_whitelist_and_disabled_api_apply(server, make_account, receivers):
    acc = make_account()
    acc.patch(ip_whitelist=["203.0.113.0/24"])
    with api(server, acc.api_key) as c:
        native_error(c.get("/v1/push/subscriptions"), 403)
    acc.patch(ip_whitelist=[], api_enabled=False)
    with api(server, acc.api_key) as c:
        native_error(c.get("/v1/push/subscriptions"), 403)


def test_another_account_never_sees_them(server, make_account, receivers, subscribe):
    a, b = make_account("A"), make_account("B")
    sub = subscribe(a, receivers().url, ["daily_stats"])
    with api(server, b.api_key) as c:
        assert c.get("/v1/push/subscriptions").json() == {"subscriptions": []}
        native_error(c.get(f"/v1/push/subscriptions/{sub['id']}"), 404)
        native_error(c.delete(f"/v1/push/subscriptions/{sub['id']}"), 404)
        native_error(c.get("/v1/push/deliveries", params={"subscription_id": sub["id"]}), 404)
        assert c.get("/v1/push/deliveries").json() == {"deliveries": []}
    with api(server, a.api_key) as c:
        assert c.get(f"/v1/push/subscriptions/{sub['id']}").status_code == 200


def test_user_key_sees_only_its_own(server, account, receivers, subscribe):
    url = receivers().url
    slice_id = account.slice("edge only", servers=["edge-1"])
    user = account.user_key([slice_id])
    wide = subscribe(account, url, ["daily_stats"])
    mine = subscribe(account, url, ["daily_stats"], api_key=user["api_key"])
    assert mine["data_slices"] == [slice_id]
    with api(server, user["api_key"]) as c:
        assert [s["id"] for s in c.get("/v1/push/subscriptions").json()["subscriptions"]] == [mine["id"]]
        native_error(c.get(f"/v1/push/subscriptions/{wide['id']}"), 404)
        native_error(c.delete(f"/v1/push/subscriptions/{wide['id']}"), 404)
        native_error(c.get("/v1/push/deliveries", params={"subscription_id": wide["id"]}), 404)
    with api(server, account.api_key) as c:
        ids = {s["id"] for s in c.get("/v1/push/subscriptions").json()["subscriptions"]}
        assert ids == {wide["id"], mine["id"]}
