"""Who may manage push subscriptions: an API key as ``Authorization: Bearer <api_key>``
(account-wide or user-specific), admitted like every other call (API enabled, IP whitelist,
daily limit)."""

from __future__ import annotations

from fastapi import Request

from mediastats.meta.accounts import Access
from mediastats.surfaces.access import admit, services_of
from mediastats.surfaces.errors import AccessError


def push_access(request: Request) -> Access:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    secret = token.strip() if scheme.lower() == "bearer" else ""
    access = services_of(request).accounts.by_secret(secret) if secret else None
    if access is None:
        raise AccessError(401, "API key required: Authorization: Bearer <api_key>")
    return admit(request, access)
