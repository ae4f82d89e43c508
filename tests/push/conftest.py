"""Fixtures of the push tests: local receivers, and subscriptions removed after each test.

Both depend on ``clock`` so they are torn down before the clock is reset: a subscription left
behind would otherwise be owed the daily push of the real yesterday.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import Account, Clock, Server
from tests.push.receiver import Receiver


@pytest.fixture
def receivers(clock: Clock) -> Iterator[Callable[..., Receiver]]:
    made: list[Receiver] = []

    def make(statuses: list[Any] | None = None, default: int = 200, delay_s: float = 0.0) -> Receiver:
        r = Receiver(statuses, default, delay_s=delay_s)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def api(server: Server, api_key: str) -> httpx.Client:
    return server.client(headers={"Authorization": f"Bearer {api_key}"})


@pytest.fixture
def subscribe(clock: Clock, server: Server) -> Iterator[Callable[..., dict[str, Any]]]:
    made: list[tuple[str, str]] = []

    def make(account: Account, url: str, events: list[str], token: str | None = None,
             api_key: str | None = None) -> dict[str, Any]:
        key = api_key or account.api_key
        body: dict[str, Any] = {"url": url, "events": events}
        if token is not None:
            body["token"] = token
        with api(server, key) as c:
            r = c.post("/v1/push/subscriptions", json=body)
        assert r.status_code == 201, r.text
        made.append((key, r.json()["id"]))
        return dict(r.json())

    yield make
    for key, sub_id in made:
        with api(server, key) as c:
            c.delete(f"/v1/push/subscriptions/{sub_id}")
