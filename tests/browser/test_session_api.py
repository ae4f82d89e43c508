"""The dashboard's session and static endpoints over plain HTTP (no browser needed):
cookie flags, the anti-CSRF header, sign-out, revoked keys, the push bridge, caching headers."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
import sqlalchemy as sa

from tests.conftest import ADMIN_TOKEN, Account, Server

XRW = {"X-Requested-With": "mediastats"}
SUMMARY = {"metrics": ["views"], "date_range": ["2026-09-14", "2026-09-14"]}


@contextmanager
def signed_in(server: Server, api_key: str) -> Iterator[httpx.Client]:
    with server.client() as client:
        r = client.post("/dashboard/session", json={"api_key": api_key})
        assert r.status_code == 200, r.text
        yield client


def test_sign_in_sets_an_httponly_strict_cookie_that_is_not_the_key(account: Account) -> None:
    with account.server.client() as c:
        r = c.post("/dashboard/session", json={"api_key": account.api_key})
    assert r.status_code == 200
    assert r.json() == {
        "signed_in": True, "account": {"id": account.id, "name": account.name}, "key": "account-wide",
        "client_id": account.client_id, "slices": [{"id": r.json()["slices"][0]["id"], "name": "Full data slice"}],
    }
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("mediastats_session=")
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= flags
    assert not any(f.startswith(("max-age", "expires")) for f in flags)  # a browser-session cookie
    assert account.api_key not in cookie
    assert r.headers["cache-control"] == "no-store"


def test_the_session_table_holds_no_usable_key(account: Account) -> None:
    with signed_in(account.server, account.api_key):
        pass
    with account.server.services.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM dashboard_sessions WHERE account_id = :a"), {"a": account.id}).all()
    assert len(rows) == 1
    assert account.api_key not in " ".join(str(v) for v in rows[0])


@pytest.mark.parametrize("body", [{"api_key": "nope"}, {"api_key": ""}])
def test_a_bad_key_is_refused_in_the_native_shape(server: Server, body: dict[str, str]) -> None:
    with server.client() as c:
        r = c.post("/dashboard/session", json=body)
    assert r.status_code == 401
    assert r.json()["error"]["status"] == 401
    assert r.json()["error"]["field"] == "api_key"
    assert "set-cookie" not in r.headers


def test_an_ingest_key_does_not_sign_in(account: Account) -> None:
    with account.server.client() as c:
        assert c.post("/dashboard/session", json={"api_key": account.ingest_key}).status_code == 401


def test_a_malformed_body_names_the_field(server: Server) -> None:
    with server.client() as c:
        assert c.post("/dashboard/session", json={"key": "x"}).json()["error"]["field"] == "api_key"
        r = c.post("/dashboard/session", content=b"{", headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()["error"]["field"] == "body"


def test_html_form_sign_in_redirects(account: Account) -> None:
    with account.server.client() as c:
        ok = c.post("/dashboard/session", data={"api_key": account.api_key})
        bad = c.post("/dashboard/session", data={"api_key": "wrong"})
    assert ok.status_code == 303 and ok.headers["location"] == "/" and "httponly" in ok.headers["set-cookie"].lower()
    assert bad.status_code == 303 and bad.headers["location"] == "/?signin=failed"


def test_the_cookie_works_on_the_native_api_only_with_the_csrf_header(account: Account) -> None:
    with signed_in(account.server, account.api_key) as c:
        refused = c.post("/v1/query", json=SUMMARY)
        assert refused.status_code == 403
        assert "X-Requested-With" in refused.json()["error"]["message"]
        ok = c.post("/v1/query", json=SUMMARY, headers=XRW)
        assert ok.status_code == 200, ok.text
        assert ok.json()["results"] == [{"views": 0}]
        # A dashboard query is a query call: it counts against the daily limit like any other.
        assert ok.headers["x-ratelimit-remaining"] == "14999"
        assert c.get("/v1/channels", headers=XRW).status_code == 200
        assert c.get("/v1/report-schedules", headers=XRW).status_code == 200
        assert c.get("/dashboard/session").status_code == 403


def test_without_a_session_nothing_is_answered(server: Server) -> None:
    with server.client() as c:
        assert c.get("/dashboard/session", headers=XRW).json() == {"signed_in": False}
        c.cookies.set("mediastats_session", "forged")
        assert c.get("/dashboard/session", headers=XRW).json() == {"signed_in": False}
        r = c.post("/v1/query", json=SUMMARY, headers=XRW)
        assert r.status_code == 401 and r.json()["error"]["status"] == 401
        assert c.get("/dashboard/api/v1/push/subscriptions", headers=XRW).status_code == 401


def test_sign_out_ends_the_session(account: Account) -> None:
    with signed_in(account.server, account.api_key) as c:
        cookie = c.cookies["mediastats_session"]
        assert c.delete("/dashboard/session").status_code == 403  # the header is required here too
        r = c.delete("/dashboard/session", headers=XRW)
        assert r.status_code == 204
        assert 'mediastats_session=""' in r.headers["set-cookie"] or "max-age=0" in r.headers["set-cookie"].lower()
    with account.server.client() as c:
        c.cookies.set("mediastats_session", cookie)
        assert c.post("/v1/query", json=SUMMARY, headers=XRW).status_code == 401


def test_a_rotated_key_voids_its_sessions(account: Account) -> None:
    with signed_in(account.server, account.api_key) as c:
        assert c.post("/v1/query", json=SUMMARY, headers=XRW).status_code == 200
        with account.server.admin() as admin:
            assert admin.post(f"/admin/v1/accounts/{account.id}/keys/rotate").status_code == 200
        assert c.post("/v1/query", json=SUMMARY, headers=XRW).status_code == 401
        assert c.get("/dashboard/session", headers=XRW).json() == {"signed_in": False}


def test_a_bearer_header_wins_over_the_cookie(make_account: Callable[..., Account]) -> None:
    a, b = make_account("A"), make_account("B")
    with signed_in(a.server, a.api_key) as c:
        assert c.get("/dashboard/session", headers=XRW).json()["account"]["id"] == a.id
        r = c.post("/v1/query", json=SUMMARY, headers={**XRW, "Authorization": "Bearer nope"})
        assert r.status_code == 401
        # B's key in the header answers for B, whatever the cookie says.
        b.send([{"ts": "2026-09-14T10:00:00Z", "type": "view_start", "session_id": "b1"}])
        r = c.post("/v1/query", json=SUMMARY, headers={**XRW, "Authorization": f"Bearer {b.api_key}"})
        assert r.json()["results"] == [{"views": 1}]


def test_push_listings_through_the_bridge(account: Account) -> None:
    with account.server.client() as c:
        made = c.post("/v1/push/subscriptions", json={"url": "http://127.0.0.1:9/hook", "events": ["daily_stats"]},
                      headers={"Authorization": f"Bearer {account.api_key}"})
    assert made.status_code == 201, made.text
    with signed_in(account.server, account.api_key) as c:
        subs = c.get("/dashboard/api/v1/push/subscriptions", headers=XRW)
        assert subs.status_code == 200
        assert [s["id"] for s in subs.json()["subscriptions"]] == [made.json()["id"]]
        sends = c.get("/dashboard/api/v1/push/deliveries?limit=5", headers=XRW)
        assert sends.status_code == 200 and sends.json() == {"deliveries": []}
        # Read-only, and only the listed paths.
        assert c.get("/dashboard/api/v1/query", headers=XRW).status_code == 404
        assert c.get("/dashboard/api/admin/v1/accounts", headers=XRW).status_code == 404
        # The bridged call is the push route's own answer, errors included.
        bad = c.get("/dashboard/api/v1/push/deliveries?limit=0", headers=XRW)
        assert bad.status_code == 400 and bad.json()["error"]["field"] == "limit"


def test_the_admin_token_is_not_a_dashboard_key(server: Server) -> None:
    with server.client() as c:
        assert c.post("/dashboard/session", json={"api_key": ADMIN_TOKEN}).status_code == 401


def test_page_and_static_files_have_caching_and_security_headers(server: Server) -> None:
    with server.client() as c:
        page = c.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["cache-control"] == "no-cache"
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        app = c.get("/static/js/app.js", headers={"Accept-Encoding": "identity"})
        assert app.headers["content-type"] == "text/javascript; charset=utf-8"
        assert app.headers["cache-control"] == "public, max-age=300"
        again = c.get("/static/js/app.js",
                      headers={"If-None-Match": app.headers["etag"], "Accept-Encoding": "identity"})
        assert again.status_code == 304 and again.content == b""
        with c.stream("GET", "/static/vendor/uplot/uPlot.esm.js", headers={"Accept-Encoding": "gzip"}) as zipped:
            wire = b"".join(zipped.iter_raw())
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.headers["cache-control"] == "public, max-age=86400"
        plain = c.get("/static/vendor/uplot/uPlot.esm.js", headers={"Accept-Encoding": "identity"})
        assert gzip.decompress(wire) == plain.content and len(wire) < len(plain.content) / 2
        assert zipped.headers["etag"] != plain.headers["etag"]  # one validator per encoding


@pytest.mark.parametrize("path", ["/static/../routes.py", "/static/%2e%2e/routes.py", "/static/nope.js", "/static/js"])
def test_nothing_outside_the_static_dir_is_served(server: Server, path: str) -> None:
    with server.client() as c:
        r = c.get(path)
    assert r.status_code == 404
    assert "from fastapi" not in r.text


def test_the_sdk_route_is_kept(server: Server) -> None:
    with server.client() as c:
        r = c.get("/sdk/mediastats.js")
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    assert "export function track" in r.text


def test_other_origins_cannot_use_the_session(account: Account) -> None:
    with signed_in(account.server, account.api_key) as c:
        evil = c.post("/v1/query", json=SUMMARY, headers={**XRW, "Origin": "http://127.0.0.1:1"})
        assert evil.status_code == 403 and "origin" in evil.json()["error"]["message"]
        own = c.post("/v1/query", json=SUMMARY, headers={**XRW, "Origin": account.server.url})
        assert own.status_code == 200
        # A script elsewhere cannot even send the header with credentials: the preflight grants none.
        pre = c.options("/v1/query", headers={
            "Origin": "http://evil.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-requested-with, content-type",
        })
        assert pre.headers.get("access-control-allow-credentials") != "true"
