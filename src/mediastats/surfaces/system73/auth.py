"""System73 credentials: ``Authorization: <api_key>`` (CONTRACT §2), account-wide or user-specific.

A user-specific key sees only its slices: the Query core filters every statement by the Scope,
and a path naming a channel that none of the key's slices covers is refused with 403.
"""

from __future__ import annotations

from fastapi import Request

from mediastats.meta.accounts import Access
from mediastats.query import Scope
from mediastats.surfaces.access import admit, services_of
from mediastats.surfaces.errors import AccessError


def presented_key(request: Request) -> str:
    """The key as System73 clients send it (a ``Bearer `` prefix is tolerated)."""
    header = request.headers.get("authorization", "").strip()
    scheme, _, rest = header.partition(" ")
    return rest.strip() if scheme.lower() == "bearer" and rest else header


def system73_access(request: Request) -> Access:
    """The caller's Access for a query call: admitted and counted against the daily limit."""
    key = presented_key(request)
    access = services_of(request).accounts.by_secret(key) if key else None
    if access is None:
        message = "invalid API key" if key else "missing API key: send it as the Authorization header"
        raise AccessError(401, message)
    return admit(request, access)


def scope_for(request: Request, access: Access, channel_id: str | None) -> Scope:
    """The Scope of ``access``; 403 if it sees nothing or not ``channel_id``."""
    scope = services_of(request).accounts.scope(access)
    if scope is None:
        raise AccessError(403, "this key sees no data slice")
    if channel_id is not None and not channel_visible(scope, channel_id):
        raise AccessError(403, f"channel {channel_id!r} is not in this key's data slices")
    return scope


def channel_visible(scope: Scope, channel_id: str) -> bool:
    """Whether some slice of ``scope`` may hold ``channel_id`` (a slice without channels holds all)."""
    return any(not piece.channels or channel_id in piece.channels for piece in scope.slices)
