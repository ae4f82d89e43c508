"""The web dashboard and the browser beacon SDK.

    GET    /                              the dashboard page (a static ES-module app)
    GET    /static/<path>                 its scripts, styles and the vendored uPlot
    POST   /dashboard/session             sign in: {"api_key"} (JSON or form) → HttpOnly cookie
    GET    /dashboard/session             who is signed in (account, key kind, visible slices)
    DELETE /dashboard/session             sign out
    GET    /dashboard/api/v1/push/...     push listings for the session (see bridge.py)
    GET    /sdk/mediastats.js             the beacon, importable cross-origin

Every number the page shows comes from the native API (``/v1/query``, listings, push,
report schedules) called with the session cookie; nothing here computes a metric.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

import mediastats.dashboard.tables  # noqa: F401  (declares the sessions table on the metadata)
from mediastats.dashboard.bridge import BRIDGED, forward_get
from mediastats.dashboard.sessions import COOKIE, SessionStore, session_key
from mediastats.dashboard.static import PAGE_SECURITY, STATIC, file_response
from mediastats.meta.accounts import Access
from mediastats.surfaces.access import services_of
from mediastats.surfaces.errors import AccessError, ApiError, error_shape, native_error
from mediastats.surfaces.respond import json_response

router = APIRouter(tags=["dashboard"], dependencies=[Depends(error_shape(native_error))])


@router.get("/sdk/mediastats.js", include_in_schema=False)
def sdk() -> Response:
    """The beacon, importable cross-origin as an ES module."""
    return Response(
        (STATIC / "sdk" / "mediastats.js").read_bytes(),
        media_type="text/javascript",
        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"},
    )


@router.get("/", include_in_schema=False)
def page(request: Request) -> Response:
    return file_response(request, "index.html", PAGE_SECURITY)


@router.get("/static/{relative:path}", include_in_schema=False)
def static_file(request: Request, relative: str) -> Response:
    return file_response(request, relative)


# --- session ------------------------------------------------------------------------------
async def _presented_key(request: Request) -> tuple[str, bool]:
    """(the API key in a sign-in body, whether it came from an HTML form)."""
    raw = await request.body()
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        values = parse_qs(raw.decode("utf-8", "replace")).get("api_key", [""])
        return values[0].strip(), True
    try:
        body = orjson.loads(raw or b"{}")
    except orjson.JSONDecodeError:
        raise ApiError(400, "the body must be JSON {\"api_key\": ...} or a form with api_key", "body") from None
    key = body.get("api_key") if isinstance(body, dict) else None
    if not isinstance(key, str):
        raise ApiError(400, "api_key: a string is required", "api_key")
    return key.strip(), False


def session_body(request: Request, access: Access) -> dict[str, Any]:
    slices = services_of(request).accounts.slices(access.account_id)
    visible = [s for s in slices if access.slice_ids is None or s.id in access.slice_ids]
    return {
        "account": {"id": access.account_id, "name": access.account.name},
        "key": "user-specific" if access.is_user_key else "account-wide",
        "client_id": access.client_id,
        "slices": [{"id": s.id, "name": s.name} for s in visible],
    }


@router.post("/dashboard/session", summary="Sign in to the dashboard with an API key")
async def sign_in(request: Request) -> Response:
    key, from_form = await _presented_key(request)
    services = services_of(request)
    access = services.accounts.by_secret(key) if key else None
    if access is None:
        if from_form:
            return RedirectResponse("/?signin=failed", status_code=303)
        raise AccessError(
            401, "this API key is not valid (use an account-wide or user-specific key, not an ingest key)", "api_key"
        )
    session_id = SessionStore(services.engine).open(access, key)
    response: Response = (
        RedirectResponse("/", status_code=303)
        if from_form
        else json_response({"signed_in": True, **session_body(request, access)})
    )
    # A browser-session cookie (no Max-Age); the server forgets the session after LIFETIME_S.
    response.set_cookie(
        COOKIE, session_id, path="/", httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _session_access(request: Request) -> tuple[Access, str]:
    key = session_key(request)
    access = services_of(request).accounts.by_secret(key) if key else None
    if key is None or access is None:
        raise AccessError(401, "not signed in")
    return access, key


@router.get("/dashboard/session", summary="The signed-in account")
def who(request: Request) -> Response:
    """``{"signed_in": false}`` without a live session (a normal answer for a page that loads
    before sign-in, not an error), else the account, key kind and visible slices."""
    key = session_key(request)
    access = services_of(request).accounts.by_secret(key) if key else None
    body = {"signed_in": True, **session_body(request, access)} if access else {"signed_in": False}
    return json_response(body, headers={"Cache-Control": "no-store"})


@router.delete("/dashboard/session", status_code=204, summary="Sign out of the dashboard")
def sign_out(request: Request) -> Response:
    session_id = request.cookies.get(COOKIE)
    if session_id:
        session_key(request)  # the anti-CSRF header is required to sign out too
        SessionStore(services_of(request).engine).close(session_id)
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


@router.get("/dashboard/api/{path:path}", include_in_schema=False)
async def bridged(request: Request, path: str) -> Response:
    target = "/" + path
    if target not in BRIDGED:
        raise ApiError(404, f"{target} is not reachable through the dashboard bridge; call it directly")
    _, key = _session_access(request)
    return await forward_get(request, target, key)
