"""Tenant isolation and the drop-in mount at ``/v3`` (``--surface streamroot``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import uvicorn

from tests.conftest import Account, Server, free_port
from tests.surfaces.streamroot.conftest import Post, event, fixed, ok, view


def test_another_account_never_sees_the_data(make_account: Callable[..., Account], post: Post) -> None:
    a, b = make_account("a"), make_account("b")
    a.send([*view("x", 0, 3, stream_uri="a/secret.m3u8", delivery="p2p"), event("x", 1, bytes_p2p=99)])
    assert ok(post(a, "traffic", fixed(0, 10)))["p2p"] == 99
    assert ok(post(b, "traffic", fixed(0, 10))) == {"srKey": b.id, "cdn": 0, "p2p": 0}
    assert ok(post(b, "audience", fixed(0, 10)))["max"] == 0
    assert ok(post(b, "streams", fixed(0, 10)))["streams"] == []
    # B's key with A's customer id is refused.
    assert post(b, "traffic", fixed(0, 10), customer=a.id).status_code == 403


def test_user_specific_key_sees_only_its_slices(account: Account, post: Post) -> None:
    account.send([
        *view("one", 0, 2, channel_id="ch1", stream_uri="ch1/live.m3u8", delivery="p2p"),
        event("one", 1, bytes_cdn=10),
        *view("two", 0, 2, channel_id="ch2", stream_uri="ch2/live.m3u8", delivery="cdn"),
        event("two", 1, bytes_cdn=200),
    ])
    user = account.user_key([account.slice("channel one", channels=["ch1"])])["api_key"]
    assert ok(post(account, "traffic", fixed(0, 10)))["cdn"] == 210
    assert ok(post(account, "traffic", fixed(0, 10), key=user))["cdn"] == 10
    assert ok(post(account, "audience", fixed(0, 10), key=user))["max"] == 1
    assert ok(post(account, "streams", fixed(0, 10), key=user))["streams"] == ["ch1/live.m3u8"]
    series = ok(post(account, "buffering/timeseries", fixed(0, 10, content="ch2/live.m3u8"), key=user))
    assert series["played"] == [[p[0], 0] for p in series["played"]]


def test_user_key_of_another_account_is_403(make_account: Callable[..., Account], post: Post) -> None:
    a, b = make_account("a"), make_account("b")
    user = a.user_key([a.slice("all of a")])["api_key"]
    assert post(a, "audience", {"since": "1h"}, key=user).status_code == 200
    assert post(a, "audience", {"since": "1h"}, key=user, customer=b.id).status_code == 403


def test_mounted_at_root_with_surface_streamroot(server: Server, account: Account, tmp_path: Path) -> None:
    from mediastats.app import create_app
    from mediastats.config import Settings

    account.send([*view("x", 0), event("x", 1, bytes_cdn=5)])
    app = create_app(Settings(data_dir=tmp_path, surface="streamroot"), services=server.services)
    # A second listener on the running server's services (no lifespan: nothing started twice).
    port = free_port()
    listener = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=listener.run, daemon=True)
    thread.start()
    while not listener.started:
        time.sleep(0.02)
    try:
        headers = {"Authorization": f"API-Key {account.api_key}"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=30) as client:
            for prefix in ("", "/streamroot"):
                r = client.post(f"{prefix}/v3/customers/{account.id}/dna/data/traffic", json=fixed(0, 10))
                assert r.status_code == 200 and r.json() == [{"srKey": account.id, "cdn": 5, "p2p": 0}]
            r = client.post(f"/v3/customers/{account.id}/dna/data/nothing", json={})
            assert r.status_code == 404 and set(r.json()) == {"message"}
    finally:
        listener.should_exit = True
        thread.join(timeout=30)
