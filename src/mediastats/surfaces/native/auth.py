"""Native API credentials: ``Authorization: Bearer <api_key>`` (account-wide or user-specific)."""

from __future__ import annotations

from fastapi import Request

from mediastats.meta.accounts import Access
from mediastats.surfaces.access import admit, services_of
from mediastats.surfaces.errors import ApiError


def bearer_access(request: Request) -> Access:
    """The caller's Access, without counting a call (subscriptions, schedules).

    Without an Authorization header, the dashboard's session cookie stands in for the key
    (with its anti-CSRF header; see ``dashboard/sessions.py``)."""
    if "authorization" not in request.headers:
        from mediastats.dashboard.sessions import cookie_access

        if (access := cookie_access(request)) is not None:
            return access
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    access = services_of(request).accounts.by_secret(token.strip()) if scheme.lower() == "bearer" else None
    if access is None:
        raise ApiError(401, "API key required: Authorization: Bearer <api_key>")
    return access


def query_access(request: Request) -> Access:
    """The caller's Access for a query call: admitted and counted against the daily limit."""
    return admit(request, bearer_access(request))
