"""Streamroot test helpers: POST a body the vendor's way, and build small event sets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import Account

# A Sunday morning long past; 10:00 UTC is a multiple of every step used here (2m, 4m, 5m, 10m, 1h).
T0 = datetime(2025, 3, 2, 10, 0, tzinfo=UTC)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def at(minutes: float) -> int:
    """Epoch ms of T0 + ``minutes``."""
    return ms(T0 + timedelta(minutes=minutes))


def event(session: str, minutes: float, type: str = "heartbeat", **fields: Any) -> dict[str, Any]:
    return {"ts": at(minutes), "type": type, "session_id": session, **fields}


def view(session: str, *minutes: float, **attributes: Any) -> list[dict[str, Any]]:
    """One view with an event at each of ``minutes``; attributes go on the first event."""
    first, *rest = minutes
    return [event(session, first, "view_start", **attributes), *(event(session, m) for m in rest)]


Post = Callable[..., httpx.Response]


@pytest.fixture
def post() -> Post:
    def send(
        account: Account, endpoint: str, body: Any = None, *, key: str | None = None,
        customer: str | None = None, prefix: str = "/streamroot",
    ) -> httpx.Response:
        headers = {"Authorization": f"API-Key {account.api_key if key is None else key}"}
        path = f"{prefix}/v3/customers/{account.id if customer is None else customer}/dna/data/{endpoint}"
        with account.server.client() as c:
            return c.post(path, json=body if body is not None else {}, headers=headers)

    return send


def ok(response: httpx.Response) -> dict[str, Any]:
    """The single object of a 200 Streamroot answer."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, list) and len(body) == 1, body
    return dict(body[0])


def fixed(start: float, end: float, **more: Any) -> dict[str, Any]:
    """A from/to body in ms, T0-relative minutes."""
    return {"from": str(at(start)), "to": str(at(end)), **more}
