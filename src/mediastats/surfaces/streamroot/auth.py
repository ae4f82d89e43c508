"""Streamroot credentials: ``Authorization: API-Key <api_key>`` and the customer id in the path.

The customer id is the account id; a key of another account gets 403 (CONTRACT §2, §6).
"""

from __future__ import annotations

from fastapi import Request

from mediastats.meta.accounts import Access
from mediastats.query import Scope
from mediastats.surfaces.access import admit, services_of
from mediastats.surfaces.errors import AccessError

SCHEME = "api-key"


def presented_key(request: Request) -> str:
    """The key of an ``Authorization: API-Key <key>`` header ('' if absent or another scheme)."""
    scheme, _, key = request.headers.get("authorization", "").strip().partition(" ")
    return key.strip() if scheme.lower() == SCHEME else ""


def streamroot_access(request: Request, customer_id: str) -> Access:
    """The caller's Access for ``customer_id``: known key, own account, admitted and counted."""
    key = presented_key(request)
    if not key:
        raise AccessError(401, "missing API key: send the header Authorization: API-Key <your API key>")
    access = services_of(request).accounts.by_secret(key)
    if access is None:
        raise AccessError(401, "invalid API key")
    if customer_id != access.account_id:
        raise AccessError(403, f"customer {customer_id!r} is not the customer of this API key")
    return admit(request, access)


def streamroot_scope(request: Request, access: Access) -> Scope:
    """The data the key may see (a user-specific key: its slices only)."""
    scope = services_of(request).accounts.scope(access)
    if scope is None:
        raise AccessError(403, "this API key sees no data")
    return scope
