"""The outbox survives restarts. Proof with real processes: ``mediastats serve`` in a subprocess
on its own data dir queues a notification for a receiver that is down, fails once, and is
killed (SIGKILL, a crash); the receiver comes up; a second ``serve`` on the same data dir
(same metadata store) delivers it, once. A third start sends nothing again, because what was
acknowledged is recorded before anything else happens to the message."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import free_port
from tests.push.receiver import Receiver
from tests.push.signatures import assert_nimble_signature, assert_standard_webhook

TOKEN = "restart-admin-token"


class Serve:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "MEDIASTATS_ADMIN_TOKEN": TOKEN, "MEDIASTATS_PUSH_ALLOW_PRIVATE": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from mediastats.cli import app; app()", "serve",
             "--data-dir", str(self.data_dir), "--port", str(self.port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited: {self.proc.stderr.read().decode() if self.proc.stderr else ''}")
            try:
                if httpx.get(f"{self.url}/admin/v1/accounts", headers=self.admin_headers, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("serve did not start")

    @property
    def admin_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {TOKEN}"}

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
            self.proc = None


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    s = Serve(tmp_path / "data")
    yield s
    s.stop()


def _deliveries(serve: Serve, api_key: str) -> list[dict[str, Any]]:
    r = httpx.get(f"{serve.url}/v1/push/deliveries", headers={"Authorization": f"Bearer {api_key}"}, timeout=10)
    assert r.status_code == 200, r.text
    return list(r.json()["deliveries"])


@pytest.mark.slow
def test_pending_message_is_sent_after_a_crash_and_only_once(serve: Serve):
    serve.start()
    account = httpx.post(f"{serve.url}/admin/v1/accounts", json={"name": "restart"}, headers=serve.admin_headers,
                         timeout=10).json()
    down = Receiver()
    port = down.port
    down.close()  # the receiver is down while the server runs and restarts
    auth = {"Authorization": f"Bearer {account['api_key']}"}
    sub = httpx.post(f"{serve.url}/v1/push/subscriptions", headers=auth, timeout=10,
                     json={"url": f"http://127.0.0.1:{port}/hook", "events": ["stream_publish"], "token": "tk"}).json()
    r = httpx.post(f"{serve.url}/v1/events", headers={"Authorization": f"Bearer {account['ingest_key']}"}, timeout=10,
                   json=[{"ts": int(time.time() * 1000) - 1000, "type": "stream_publish", "server_id": "edge",
                          "stream_id": "cam"}])
    assert r.status_code == 200 and r.json()["accepted"] == 1, r.text
    deadline = time.time() + 10
    while time.time() < deadline and not any(d["attempts"] for d in _deliveries(serve, account["api_key"])):
        time.sleep(0.1)
    (before,) = _deliveries(serve, account["api_key"])
    assert before["status"] == "pending" and before["attempts"][0]["status_code"] is None

    serve.kill()
    rx = Receiver(port=port)
    try:
        serve.start()
        got = rx.wait_for(1, timeout=30)
        assert got[0].headers["webhook-id"] == before["id"]
        assert got[0].body["publish"][0]["stream"] == "default/cam"
        assert_nimble_signature(got[0].body, "tk")
        assert_standard_webhook(got[0], sub["secret"])
        deadline = time.time() + 10
        while time.time() < deadline and _deliveries(serve, account["api_key"])[0]["status"] != "delivered":
            time.sleep(0.1)
        (after,) = _deliveries(serve, account["api_key"])
        assert after["status"] == "delivered"
        assert [a["status_code"] for a in after["attempts"]] == [None, 200]

        serve.stop()
        serve.start()
        assert len(rx.settle(7.0)) == 1  # acknowledged: never sent again
        assert [a["status_code"] for a in _deliveries(serve, account["api_key"])[0]["attempts"]] == [None, 200]
    finally:
        rx.close()
