"""Dashboard sign-in sessions: an API key kept server-side behind an HttpOnly cookie.

The cookie holds a random session id, nothing else. The server keeps the key sealed with a
keystream derived from that id (SHAKE-256 of a fresh 256-bit secret, used once), so neither
the cookie nor the database alone yields the key. Calls made with the cookie must carry
``X-Requested-With: mediastats``: a cross-site form cannot set it, and a script on another
origin cannot send it with credentials (the CORS preflight allows no credentials), so the cookie
is useless for CSRF. It is also ``SameSite=Strict``, and a request whose ``Origin`` is another
origin is refused outright.

Session lifetime is wall-clock time (a browser session), not the server's data clock.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import weakref
from urllib.parse import urlsplit

import sqlalchemy as sa
from fastapi import Request
from sqlalchemy.engine import Engine

from mediastats.dashboard.tables import dashboard_sessions
from mediastats.meta.accounts import Access
from mediastats.surfaces.access import services_of
from mediastats.surfaces.errors import AccessError

COOKIE = "mediastats_session"
CSRF_HEADER = "x-requested-with"
CSRF_VALUE = "mediastats"
LIFETIME_S = 7 * 24 * 3600

_created: weakref.WeakSet[Engine] = weakref.WeakSet()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _keystream(session_id: str, length: int) -> bytes:
    return hashlib.shake_256(b"mediastats-dashboard-session\0" + session_id.encode()).digest(length)


def seal(session_id: str, api_key: str) -> str:
    raw = api_key.encode()
    return bytes(a ^ b for a, b in zip(raw, _keystream(session_id, len(raw)), strict=True)).hex()


def unseal(session_id: str, sealed: str) -> str | None:
    try:
        raw = bytes.fromhex(sealed)
        return bytes(a ^ b for a, b in zip(raw, _keystream(session_id, len(raw)), strict=True)).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def _now_ms() -> int:
    return int(time.time() * 1000)


class SessionStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        if engine not in _created:  # the table is new; engines made before it was declared lack it
            dashboard_sessions.create(engine, checkfirst=True)
            _created.add(engine)

    def open(self, access: Access, api_key: str) -> str:
        """A new session for ``api_key`` (already checked); returns the cookie value."""
        session_id = secrets.token_urlsafe(32)
        now = _now_ms()
        with self.engine.begin() as conn:
            conn.execute(dashboard_sessions.delete().where(dashboard_sessions.c.expires_ms < now))
            conn.execute(
                dashboard_sessions.insert().values(
                    id_sha256=_sha(session_id), account_id=access.account_id,
                    sealed_key=seal(session_id, api_key), created_ms=now, expires_ms=now + LIFETIME_S * 1000,
                )
            )
        return session_id

    def api_key(self, session_id: str) -> str | None:
        """The key behind a live session, or None (unknown, expired)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(dashboard_sessions.c.sealed_key).where(
                    dashboard_sessions.c.id_sha256 == _sha(session_id),
                    dashboard_sessions.c.expires_ms >= _now_ms(),
                )
            ).first()
        return unseal(session_id, row[0]) if row else None

    def close(self, session_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(dashboard_sessions.delete().where(dashboard_sessions.c.id_sha256 == _sha(session_id)))


def session_key(request: Request) -> str | None:
    """The API key of the request's session cookie (None without a live session).

    Raises 403 when a cookie is presented without the anti-CSRF header."""
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        return None
    if request.headers.get(CSRF_HEADER, "").lower() != CSRF_VALUE:
        raise AccessError(403, f"a dashboard session needs the header X-Requested-With: {CSRF_VALUE}")
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise AccessError(403, "a dashboard session is only valid on its own origin")
    return SessionStore(services_of(request).engine).api_key(session_id)


def cookie_access(request: Request) -> Access | None:
    """The Access of the dashboard session cookie; None when there is no live session or its
    key has been revoked since sign-in."""
    key = session_key(request)
    return services_of(request).accounts.by_secret(key) if key else None
