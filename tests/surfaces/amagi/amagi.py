"""Amagi test helpers: GET /amagi/api/v2 with the token in ``x-access-token``, and small views."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from tests.conftest import Account

MINUTE_MS = 60_000


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def v2(account: Account, token: str | None = None, prefix: str = "/amagi", **params: Any) -> httpx.Response:
    """``GET {prefix}/api/v2`` with ``params`` (``customerId`` added unless given or None)."""
    params.setdefault("customerId", account.id)
    query = {k: v for k, v in params.items() if v is not None}
    headers = {"x-access-token": account.api_key if token is None else token} if token != "" else {}
    with account.server.client() as c:
        return c.get(f"{prefix}/api/v2", params=query, headers=headers)


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def view(session: str, start: datetime, played_min: float = 0, viewer: str | None = None,
         heartbeats: tuple[tuple[datetime, float], ...] = (), **attributes: Any) -> list[dict[str, Any]]:
    """A view starting at ``start`` with ``played_min`` minutes on its first event, then one
    heartbeat per (time, minutes played) pair; ``attributes`` go on the first event."""
    first = {"ts": ms(start), "type": "view_start", "session_id": session,
             "viewer_id": viewer or f"viewer-{session}", "played_ms": int(played_min * MINUTE_MS), **attributes}
    rest = [{"ts": ms(t), "type": "heartbeat", "session_id": session, "played_ms": int(m * MINUTE_MS)}
            for t, m in heartbeats]
    return [first, *rest]


def ad(session: str, moment: datetime, kind: str, **fields: Any) -> dict[str, Any]:
    return {"ts": ms(moment), "type": f"ad_{kind}", "session_id": session, **fields}
