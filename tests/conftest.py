"""Shared fixtures: one real server per test process (uvicorn on a free loopback port, chdb in a
temp dir, real HTTP), a controllable clock, and a fresh account per test.

chdb allows one data dir per process, so tests share the server and isolate themselves by
account, which is also what tenant isolation guarantees. Tests that need their own process
(restart, crash) start ``mediastats serve`` as a subprocess (see ``tests/helpers.py``).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

os.environ.setdefault("MEDIASTATS_PUSH_ALLOW_PRIVATE", "1")

ADMIN_TOKEN = "test-admin-token"


class Clock:
    """Real time, unless a test pins it (``set``) or shifts it (``advance``); ``reset`` undoes."""

    def __init__(self) -> None:
        self._pinned: datetime | None = None
        self._offset = timedelta()

    def __call__(self) -> datetime:
        base = self._pinned or datetime.now(UTC)
        return base + self._offset

    def set(self, moment: datetime) -> None:
        self._pinned = moment.astimezone(UTC)
        self._offset = timedelta()

    def advance(self, delta: timedelta) -> None:
        self._offset += delta

    def reset(self) -> None:
        self._pinned = None
        self._offset = timedelta()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    data_dir: Path
    clock: Clock
    app: Any

    @property
    def services(self) -> Any:
        return self.app.state.services

    def admin(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=30)

    def client(self, **kw: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kw)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from mediastats.app import create_app
    from mediastats.config import Settings

    data_dir = tmp_path_factory.mktemp("mediastats-data")
    clock = Clock()
    port = free_port()
    settings = Settings.from_env(
        data_dir=data_dir, admin_token=ADMIN_TOKEN, port=port, push_allow_private=True
    )
    app = create_app(settings, clock=clock)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", proxy_headers=False
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.time() + 60
    while not uv.started:
        if time.time() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.05)
    yield Server(url=f"http://127.0.0.1:{port}", data_dir=data_dir, clock=clock, app=app)
    uv.should_exit = True
    thread.join(timeout=30)


@pytest.fixture
def clock(server: Server) -> Iterator[Clock]:
    server.clock.reset()
    yield server.clock
    server.clock.reset()


@dataclass
class Account:
    id: str
    name: str
    ingest_key: str
    client_id: str
    api_key: str
    server: Server

    def send(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        """POST events with the ingest key; asserts they were all accepted."""
        with self.server.client() as c:
            r = c.post("/v1/events", json=events, headers={"Authorization": f"Bearer {self.ingest_key}"})
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        assert not body["rejected"], body
        return body

    def slice(self, name: str, servers: list[str] | None = None, channels: list[str] | None = None) -> str:
        with self.server.admin() as c:
            r = c.post(f"/admin/v1/accounts/{self.id}/data_slices",
                       json={"name": name, "servers": servers, "channels": channels})
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def user_key(self, slice_ids: list[str], name: str = "user") -> dict[str, str]:
        with self.server.admin() as c:
            r = c.post(f"/admin/v1/accounts/{self.id}/keys", json={"name": name, "data_slices": slice_ids})
        assert r.status_code == 201, r.text
        return dict(r.json())

    def patch(self, **settings: Any) -> dict[str, Any]:
        with self.server.admin() as c:
            r = c.patch(f"/admin/v1/accounts/{self.id}", json=settings)
        assert r.status_code == 200, r.text
        return dict(r.json())


@pytest.fixture
def make_account(server: Server) -> Callable[..., Account]:
    def make(name: str = "test account") -> Account:
        with server.admin() as c:
            r = c.post("/admin/v1/accounts", json={"name": name})
        assert r.status_code == 201, r.text
        return Account(server=server, **r.json())

    return make


@pytest.fixture
def account(make_account: Callable[..., Account]) -> Account:
    return make_account()
