"""Stream publish / unpublish notifications (CONTRACT §7) arrive at a real receiver in Nimble's
format, with a valid ``Signature`` and Standard Webhooks headers."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from tests.push.signatures import assert_nimble_signature, assert_standard_webhook


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def test_publish_and_unpublish_bodies(account, receivers, subscribe):
    rx = receivers()
    sub = subscribe(account, rx.url, ["stream_publish", "stream_unpublish"], token="nimble-token")
    t0 = int(time.time() * 1000) - 5000
    account.send([
        {"ts": t0, "type": "stream_publish", "server_id": "nimble-1", "channel_id": "live", "stream_id": "cam1",
         "protocol": "RTMP", "publish_type": "push", "remote_ip": "198.51.100.7"},
        {"ts": t0 + 10, "type": "stream_publish", "server_id": "nimble-1", "stream_id": "app2/cam2"},
        {"ts": t0 + 20, "type": "stream_unpublish", "server_id": "nimble-1", "stream_id": "cam3",
         "protocol": "SRT", "publish_type": "pull"},
        {"ts": t0 + 30, "type": "stream_publish", "server_id": "nimble-2", "channel_id": "tv", "stream_id": "news",
         "protocol": "RTMP"},
    ])
    got = rx.wait_for(3)
    assert len(rx.settle(1.5)) == 3
    by_key = {(g.body["ID"], "publish" if "publish" in g.body else "unpublish"): g for g in got}
    assert set(by_key) == {("nimble-1", "publish"), ("nimble-1", "unpublish"), ("nimble-2", "publish")}
    for g in got:
        assert set(g.body) == {"ID", "Puzzle", "Signature", "publish"} or \
            set(g.body) == {"ID", "Puzzle", "Signature", "unpublish"}
        assert len(g.body["Puzzle"]) == 36
        assert_nimble_signature(g.body, "nimble-token")
        assert_standard_webhook(g, sub["secret"])
        assert g.headers["content-type"] == "application/json"
    assert by_key[("nimble-1", "publish")].body["publish"] == [
        {"stream": "live/cam1", "protocol": "RTMP", "time": t0, "type": "push", "remote_ip": "198.51.100.7"},
        {"stream": "app2/cam2", "time": t0 + 10},
    ]
    assert by_key[("nimble-1", "unpublish")].body["unpublish"] == [
        {"stream": "default/cam3", "protocol": "SRT", "time": t0 + 20, "type": "pull"},
    ]
    assert by_key[("nimble-2", "publish")].body["publish"] == [
        {"stream": "tv/news", "protocol": "RTMP", "time": t0 + 30},
    ]
    puzzles = {g.body["Puzzle"] for g in got}
    assert len(puzzles) == 3


def test_only_subscribed_kinds_are_sent(account, receivers, subscribe):
    rx = receivers()
    subscribe(account, rx.url, ["stream_unpublish"])
    t0 = int(time.time() * 1000) - 2000
    account.send([
        {"ts": t0, "type": "stream_publish", "server_id": "s1", "stream_id": "a"},
        {"ts": t0 + 1, "type": "stream_unpublish", "server_id": "s1", "stream_id": "b"},
    ])
    got = rx.wait_for(1)
    assert len(rx.settle(1.5)) == 1
    assert got[0].body["unpublish"] == [{"stream": "default/b", "time": t0 + 1}]


def test_events_of_one_server_within_a_second_share_a_notification(account, receivers, subscribe, clock):
    rx = receivers()
    sub = subscribe(account, rx.url, ["stream_publish"], token="tk")
    now = datetime.now(UTC).replace(microsecond=200_000)
    clock.set(now)
    ts = _ms(now) - 1000
    account.send([{"ts": ts, "type": "stream_publish", "server_id": "edge", "stream_id": "one"}])
    account.send([{"ts": ts + 1, "type": "stream_publish", "server_id": "edge", "stream_id": "two"}])
    assert rx.settle(1.0) == []  # held until the second is over
    clock.advance(timedelta(seconds=1))
    got = rx.wait_for(1)
    assert [e["stream"] for e in got[0].body["publish"]] == ["default/one", "default/two"]
    assert_nimble_signature(got[0].body, "tk")
    assert_standard_webhook(got[0], sub["secret"])
    # The next second starts a new notification.
    account.send([{"ts": ts + 2, "type": "stream_publish", "server_id": "edge", "stream_id": "three"}])
    clock.advance(timedelta(seconds=1))
    got = rx.wait_for(2)
    assert [e["stream"] for e in got[1].body["publish"]] == ["default/three"]
    assert len(rx.settle(0.8)) == 2


def test_tenants_and_user_slices(make_account, receivers, subscribe):
    a, b = make_account("A"), make_account("B")
    rx_a_user, rx_b = receivers(), receivers()
    slice_id = a.slice("nimble-1 only", servers=["nimble-1"])
    user = a.user_key([slice_id])
    subscribe(a, rx_a_user.url, ["stream_publish"], api_key=user["api_key"])
    subscribe(b, rx_b.url, ["stream_publish"])
    t0 = int(time.time() * 1000) - 2000
    a.send([
        {"ts": t0, "type": "stream_publish", "server_id": "nimble-1", "stream_id": "x"},
        {"ts": t0, "type": "stream_publish", "server_id": "nimble-2", "stream_id": "y"},
    ])
    got = rx_a_user.wait_for(1)
    assert len(rx_a_user.settle(1.5)) == 1
    assert got[0].body["ID"] == "nimble-1"
    assert rx_b.received == []
