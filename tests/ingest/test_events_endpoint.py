"""POST /v1/events over real HTTP: formats, per-event rejection, body errors, dedup."""

from __future__ import annotations

import gzip
import json
from typing import Any

import httpx
import pytest

from tests.conftest import Account, Server

TS = "2026-10-01T12:00:00Z"


def post(account: Account, body: bytes | str, **headers: str) -> httpx.Response:
    with account.server.client() as c:
        return c.post(
            "/v1/events",
            content=body,
            headers={"Authorization": f"Bearer {account.ingest_key}", "Content-Type": "application/json", **headers},
        )


def stored(server: Server, account: Account, sql_where: str = "1") -> list[dict[str, Any]]:
    return server.services.storage.query(
        "SELECT * FROM {db}.events WHERE account_id = {a:String} AND " + sql_where + " ORDER BY ts_ms, event_id",
        {"a": account.id},
    ).dicts()


def test_json_array_is_stored_with_session_attributes(server: Server, account: Account) -> None:
    events = [
        {"ts": TS, "type": "view_start", "session_id": "s1", "channel_id": "news", "server_id": "edge-1",
         "content_name": "Evening news", "viewer_id": "v1", "delivery": "p2p", "bitrate_kbps": 800},
        {"ts": "2026-10-01T12:00:10Z", "type": "heartbeat", "session_id": "s1", "played_ms": 10000,
         "bytes_cdn": 1000, "buffer_ms": 2500.5},
        {"ts": 1790856020000, "type": "heartbeat", "session_id": "s1", "played_ms": 10000, "channel_id": "other",
         "bitrate_kbps": 1600},
    ]
    assert account.send(events) == {"accepted": 3, "duplicates": 0, "rejected": []}
    rows = stored(server, account)
    assert [r["type"] for r in rows] == ["view_start", "heartbeat", "heartbeat"]
    # Attributes sent once, on view_start, are on every row; the earliest value wins...
    assert {r["channel_id"] for r in rows} == {"news"}
    assert {r["server_id"] for r in rows} == {"edge-1"}
    assert {r["content_name"] for r in rows} == {"Evening news"}
    # ...except delivery and bitrate, where the latest wins.
    assert [r["bitrate_kbps"] for r in rows] == [800, 800, 1600]
    assert {r["delivery"] for r in rows} == {"p2p"}
    assert rows[1]["buffer_ms"] == 2500.5 and rows[0]["buffer_ms"] is None
    assert rows[2]["ts_ms"] == 1790856020000


def test_ndjson_and_gzip(account: Account) -> None:
    lines = "\n".join(
        json.dumps({"ts": TS, "type": "heartbeat", "session_id": f"n{i}", "played_ms": 1}) for i in range(3)
    )
    r = post(account, lines, **{"Content-Type": "application/x-ndjson"})
    assert r.json()["accepted"] == 3
    body = gzip.compress(json.dumps([{"ts": TS, "type": "view_start", "session_id": "g1"}]).encode())
    r = post(account, body, **{"Content-Encoding": "gzip"})
    assert r.status_code == 200 and r.json()["accepted"] == 1


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"type": "heartbeat", "session_id": "x"}, "ts"),
        ({"ts": "yesterday", "type": "heartbeat", "session_id": "x"}, "ts"),
        ({"ts": "2099-01-01T00:00:00Z", "type": "heartbeat", "session_id": "x"}, "ts"),
        ({"ts": TS, "type": "pause", "session_id": "x"}, "type"),
        ({"ts": TS, "type": "heartbeat"}, "session_id"),
        ({"ts": TS, "type": "heartbeat", "session_id": "x", "played_ms": -1}, "played_ms"),
        ({"ts": TS, "type": "heartbeat", "session_id": "x", "buffer_ms": -0.5}, "buffer_ms"),
        ({"ts": TS, "type": "ad_asset", "session_id": "x", "ad_duration_ms": -3}, "ad_duration_ms"),
        ({"ts": TS, "type": "heartbeat", "session_id": "x", "bytes_p2p": "12"}, "bytes_p2p"),
        ({"ts": TS, "type": "heartbeat", "session_id": "x", "delivery": "satellite"}, "delivery"),
        ({"ts": TS, "type": "heartbeat", "session_id": "x", "content_type": "linear"}, "content_type"),
        ({"ts": TS, "type": "heartbeat", "session_id": 7}, "session_id"),
    ],
)
def test_bad_event_is_rejected_alone_naming_the_field(account: Account, event: dict[str, Any], field: str) -> None:
    good = {"ts": TS, "type": "heartbeat", "session_id": "ok", "played_ms": 5}
    r = post(account, json.dumps([good, event, good | {"session_id": "ok2"}]))
    assert r.status_code == 200
    body = r.json()
    assert body["accepted"] == 2
    assert len(body["rejected"]) == 1 and body["rejected"][0]["index"] == 1
    assert f"`{field}`" in body["rejected"][0]["error"]


def test_unknown_fields_are_ignored(account: Account) -> None:
    r = post(account, json.dumps([{"ts": TS, "type": "view_start", "session_id": "u", "colour": "blue"}]))
    assert r.json() == {"accepted": 1, "duplicates": 0, "rejected": []}


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"this is not json", {}, 400),
        (b"[1, 2", {}, 400),
        (b'{"ts": 1}', {"Content-Type": "application/json"}, 400),
        (b"not gzip at all", {"Content-Encoding": "gzip"}, 400),
        (b"[]", {"Content-Encoding": "br"}, 400),
    ],
)
def test_body_errors(account: Account, body: bytes, headers: dict[str, str], status: int) -> None:
    r = post(account, body, **headers)
    assert r.status_code == status
    assert r.json()["error"]["message"]


def test_too_large_bodies_are_413(account: Account) -> None:
    big = b"[" + b" " * (10 * 2**20) + b"]"
    assert post(account, big).status_code == 413
    # 10 MB is checked after decompression too: a small gzip that inflates past the limit.
    bomb = gzip.compress(b"[" + b" " * (10 * 2**20 + 10) + b"]")
    assert len(bomb) < 100_000
    assert post(account, bomb, **{"Content-Encoding": "gzip"}).status_code == 413
    many = json.dumps([{"ts": TS, "type": "heartbeat", "session_id": "m"}] * 100_001)
    r = post(account, many)
    assert r.status_code == 413
    assert "100000" in r.json()["error"]["message"]


def test_a_streamed_body_is_cut_off_at_the_limit(server: Server, account: Account) -> None:
    """No Content-Length (chunked): the server stops reading past 10 MB and answers 413."""
    sent = 0

    def chunks() -> Any:
        nonlocal sent
        yield b"["
        for _ in range(64):  # 64 MB offered
            sent += 2**20
            yield b" " * 2**20
        yield b"]"

    with server.client() as c:
        try:
            r = c.post("/v1/events", content=chunks(), headers={"Authorization": f"Bearer {account.ingest_key}"})
        except httpx.HTTPError:  # the server may close the connection while we still send
            assert sent < 64 * 2**20  # … which it does only once it has stopped reading
            return
    assert r.status_code == 413
    assert r.json()["error"]["field"] == "body"


def test_bad_ingest_key_is_401(server: Server, account: Account) -> None:
    with server.client() as c:
        assert c.post("/v1/events", content=b"[]").status_code == 401
        r = c.post("/v1/events", content=b"[]", headers={"Authorization": "Bearer nope"})
        assert r.status_code == 401
        # The query key is not an ingest key.
        r = c.post("/v1/events", content=b"[]", headers={"Authorization": f"Bearer {account.api_key}"})
        assert r.status_code == 401


def test_retried_batch_is_not_counted_twice(server: Server, account: Account) -> None:
    batch = [
        {"ts": TS, "type": "view_start", "session_id": "r1", "event_id": "r1-0"},
        {"ts": TS, "type": "heartbeat", "session_id": "r1", "event_id": "r1-1", "played_ms": 7},
        {"ts": TS, "type": "heartbeat", "session_id": "r1", "played_ms": 3},  # no id: always stored
    ]
    assert account.send(batch)["accepted"] == 3
    assert account.send(batch) == {"accepted": 1, "duplicates": 2, "rejected": []}
    # Duplicates inside one batch count once too.
    again = [{"ts": TS, "type": "heartbeat", "session_id": "r2", "event_id": "dup", "played_ms": 1}] * 3
    assert account.send(again) == {"accepted": 1, "duplicates": 2, "rejected": []}
    rows = stored(server, account, "event_id != ''")
    assert sorted(r["event_id"] for r in rows) == ["dup", "r1-0", "r1-1"]


def test_event_ids_are_per_account(make_account: Any) -> None:
    a, b = make_account("a"), make_account("b")
    event = [{"ts": TS, "type": "view_start", "session_id": "s", "event_id": "same"}]
    assert a.send(event)["accepted"] == 1
    assert b.send(event)["accepted"] == 1


def test_backfill_of_any_age_and_server_events(server: Server, account: Account) -> None:
    events = [
        {"ts": "2014-10-17T08:00:00Z", "type": "view_start", "session_id": "old"},
        {"ts": TS, "type": "server_sync", "server_id": "edge-9", "server_name": "Edge 9"},
        {"ts": TS, "type": "stream_publish", "server_id": "edge-9", "stream_id": "live/cam1",
         "remote_ip": "192.0.2.1", "publish_type": "push", "protocol": "RTMP"},
    ]
    assert account.send(events)["accepted"] == 3
    rows = stored(server, account)
    assert rows[0]["ts_ms"] == 1413532800000
    publish = next(r for r in rows if r["type"] == "stream_publish")
    assert (publish["remote_ip"], publish["publish_type"], publish["stream_id"]) == ("192.0.2.1", "push", "live/cam1")
