"""Delivery from the outbox: retries with the CONTRACT §7 backoff until a 2xx (exactly once in
the end), 410 disables the subscription, redirects are not followed, slow receivers time out,
and ``GET /v1/push/deliveries`` lists every attempt with its status code."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from mediastats.push import sender
from tests.push.conftest import api
from tests.push.signatures import assert_nimble_signature, assert_standard_webhook


def _publish(account, server_id: str = "edge", stream: str = "cam") -> None:
    account.send([{"ts": int(time.time() * 1000) - 1000, "type": "stream_publish", "server_id": server_id,
                   "stream_id": stream}])


def _deliveries(server, account, **params: Any) -> list[dict[str, Any]]:
    with api(server, account.api_key) as c:
        r = c.get("/v1/push/deliveries", params=params)
    assert r.status_code == 200, r.text
    return list(r.json()["deliveries"])


def _wait_status(server, account, status: str, timeout: float = 10.0) -> list[dict[str, Any]]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = _deliveries(server, account)
        if found and all(d["status"] == status for d in found):
            return found
        time.sleep(0.1)
    raise AssertionError(f"deliveries never all {status}: {_deliveries(server, account)}")


def test_500_twice_then_200_arrives_exactly_once(server, account, receivers, subscribe, clock):
    rx = receivers([500, 500], default=200)
    sub = subscribe(account, rx.url, ["stream_publish"], token="tok")
    clock.set(datetime.now(UTC))
    _publish(account)
    clock.advance(timedelta(seconds=1))  # the notification's second is over
    rx.wait_for(1)
    clock.advance(timedelta(seconds=4))  # first retry is 5 s (+ up to 10 % jitter) after the failure
    assert len(rx.settle(0.8)) == 1
    clock.advance(timedelta(seconds=2))
    rx.wait_for(2)
    clock.advance(timedelta(seconds=290))  # second retry: 5 min (+ jitter)
    assert len(rx.settle(0.8)) == 2
    clock.advance(timedelta(seconds=45))
    got = rx.wait_for(3)
    clock.advance(timedelta(hours=20))
    assert len(rx.settle(1.0)) == 3  # delivered: never again
    assert len({g.headers["webhook-id"] for g in got}) == 1
    assert len({g.raw for g in got}) == 1
    for g in got:
        assert_nimble_signature(g.body, "tok")
        assert_standard_webhook(g, sub["secret"], clock_shifted=True)
    (delivery,) = _deliveries(server, account)
    assert delivery["status"] == "delivered"
    assert delivery["id"] == got[0].headers["webhook-id"]
    assert delivery["subscription_id"] == sub["id"]
    assert delivery["event"] == "stream_publish"
    assert [(a["attempt"], a["status_code"]) for a in delivery["attempts"]] == [(1, 500), (2, 500), (3, 200)]
    assert [a["error"] for a in delivery["attempts"]] == ["HTTP 500", "HTTP 500", None]
    assert _deliveries(server, account, status="pending") == []
    assert _deliveries(server, account, subscription_id=sub["id"]) == [delivery]


def test_410_disables_the_subscription(server, account, receivers, subscribe):
    rx = receivers(default=410)
    sub = subscribe(account, rx.url, ["stream_publish"])
    _publish(account)
    rx.wait_for(1)
    (delivery,) = _wait_status(server, account, "failed")
    assert [a["status_code"] for a in delivery["attempts"]] == [410]
    with api(server, account.api_key) as c:
        shown = c.get(f"/v1/push/subscriptions/{sub['id']}").json()
    assert shown["status"] == "disabled"
    assert "410" in shown["disabled_reason"]
    _publish(account, stream="again")
    assert len(rx.settle(1.5)) == 1
    assert len(_deliveries(server, account)) == 1  # nothing queued for it any more


def test_redirects_are_not_followed(server, account, receivers, subscribe):
    target = receivers()
    rx = receivers([(302, {"Location": target.url})], default=200)
    subscribe(account, rx.url, ["stream_publish"])
    _publish(account)
    rx.wait_for(1)
    deadline = time.time() + 5
    while time.time() < deadline and not _deliveries(server, account)[0]["attempts"]:
        time.sleep(0.1)
    (delivery,) = _deliveries(server, account)
    assert delivery["status"] == "pending"  # retried later, at the same URL
    assert [a["status_code"] for a in delivery["attempts"]] == [302]
    assert target.settle(0.5) == []


def test_a_slow_receiver_times_out(server, account, receivers, subscribe, monkeypatch):
    monkeypatch.setattr(sender, "TIMEOUT_S", 0.5)
    rx = receivers(default=200, delay_s=2.0)
    subscribe(account, rx.url, ["stream_publish"])
    _publish(account)
    rx.wait_for(1)
    deadline = time.time() + 5
    while time.time() < deadline and not _deliveries(server, account)[0]["attempts"]:
        time.sleep(0.1)
    (delivery,) = _deliveries(server, account)
    assert delivery["status"] == "pending"
    assert delivery["attempts"][0]["status_code"] is None
    assert "no answer" in delivery["attempts"][0]["error"]


def test_a_receiver_that_is_down_is_retried(server, account, receivers, subscribe, clock):
    rx = receivers()
    port = rx.port
    rx.close()  # nothing listens there now
    sub = subscribe(account, f"http://127.0.0.1:{port}/hook", ["stream_publish"])
    clock.set(datetime.now(UTC))
    _publish(account)
    clock.advance(timedelta(seconds=1))
    deadline = time.time() + 5
    while time.time() < deadline and not (_deliveries(server, account) or [{"attempts": []}])[0]["attempts"]:
        time.sleep(0.1)
    (delivery,) = _deliveries(server, account)
    assert delivery["status"] == "pending"
    assert delivery["attempts"][0]["status_code"] is None
    assert delivery["attempts"][0]["error"]
    assert delivery["next_attempt_ms"] >= delivery["attempts"][0]["at_ms"] + 5000
    assert sub["id"] == delivery["subscription_id"]
