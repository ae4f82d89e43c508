"""Amagi credentials: the personal access token in the ``x-access-token`` header (seed §3).

A missing token is 401; a token that is not a key of any account is 403
``Invalid header access-token``, as the real service answers (CONTRACT §6).
"""

from __future__ import annotations

from fastapi import Request

from mediastats.meta.accounts import Access
from mediastats.query import Scope
from mediastats.surfaces.access import admit, services_of
from mediastats.surfaces.errors import AccessError

HEADER = "x-access-token"
INVALID_TOKEN = "Invalid header access-token"


def amagi_access(request: Request) -> Access:
    """The caller's Access: a known key, admitted and counted against the daily limit."""
    token = request.headers.get(HEADER, "").strip()
    if not token:
        raise AccessError(401, "Missing header access-token")
    access = services_of(request).accounts.by_secret(token)
    if access is None:
        raise AccessError(403, INVALID_TOKEN)
    return admit(request, access)


def visible_scope(request: Request, access: Access, channels: tuple[str, ...]) -> Scope:
    """The key's Scope; 403 if it sees no slice, or if a requested channel lies outside all of
    its slices (a user-specific key asking for another's channel)."""
    scope = services_of(request).accounts.scope(access)
    if scope is None:
        raise AccessError(403, "this access token sees no data")
    for channel in channels:
        if not any(not s.channels or channel in s.channels for s in scope.slices):
            raise AccessError(403, f"channel {channel!r} is not visible to this access token")
    return scope
