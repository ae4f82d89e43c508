"""Server offline / online alerts (CONTRACT §7) with a pinned clock: no server_sync for
``server_offline_after_s`` (from the arrival of the last one) → one ``offline`` alert per
silence; the next sync → one ``online`` alert. Servers never seen never alert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.push.signatures import assert_digest, assert_standard_webhook, md5hex, wms_time


def _start(clock) -> datetime:
    t0 = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    clock.set(t0)
    return t0


def _sync(account, at: datetime, server_id: str, name: str | None = None) -> None:
    event = {"ts": int(at.timestamp() * 1000), "type": "server_sync", "server_id": server_id}
    if name:
        event["server_name"] = name
    account.send([event])


def test_offline_after_threshold_then_online(account, receivers, subscribe, clock):
    rx = receivers()
    sub = subscribe(account, rx.url, ["server_offline", "server_online"], token="wms-token")
    t0 = _start(clock)
    _sync(account, t0, "edge-1", "edge1.example.com")
    clock.set(t0 + timedelta(seconds=1199))
    assert rx.settle(0.8) == []
    offline_at = t0 + timedelta(seconds=1200)
    clock.set(offline_at)
    got = rx.wait_for(1)
    time_text = wms_time(offline_at)
    assert got[0].body == {
        "time": time_text,
        "digest": md5hex(time_text + "wms-token"),
        "server": "edge1.example.com",
        "server_id": "edge-1",
        "status": "offline",
    }
    assert time_text == offline_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    assert_standard_webhook(got[0], sub["secret"], clock_shifted=True)
    # One alert per silence, however long it lasts.
    clock.set(offline_at + timedelta(hours=2))
    assert len(rx.settle(0.8)) == 1
    back_at = offline_at + timedelta(hours=2, seconds=7)
    clock.set(back_at)
    _sync(account, back_at, "edge-1")
    got = rx.wait_for(2)
    assert got[1].body == {
        "time": wms_time(back_at),
        "digest": md5hex(wms_time(back_at) + "wms-token"),
        "server": "edge1.example.com",
        "server_id": "edge-1",
        "status": "online",
    }
    # Another silence, another alert.
    clock.set(back_at + timedelta(seconds=1200))
    got = rx.wait_for(3)
    assert got[2].body["status"] == "offline"
    assert len(rx.settle(0.5)) == 3


def test_syncs_keep_a_server_online_and_unseen_servers_never_alert(account, receivers, subscribe, clock):
    rx = receivers()
    subscribe(account, rx.url, ["server_offline", "server_online"])
    t0 = _start(clock)
    for minutes in (0, 10, 20, 30):
        at = t0 + timedelta(minutes=minutes)
        clock.set(at)
        _sync(account, at, "steady")
    clock.set(t0 + timedelta(minutes=49, seconds=59))
    assert rx.settle(0.8) == []


def test_threshold_in_force_applies_and_name_defaults_to_id(account, receivers, subscribe, clock):
    rx = receivers()
    subscribe(account, rx.url, ["server_offline"], token="t")
    t0 = _start(clock)
    _sync(account, t0, "srv-9")
    clock.set(t0 + timedelta(seconds=100))
    assert rx.settle(0.6) == []
    account.patch(server_offline_after_s=60)  # the silence already passed the new threshold
    got = rx.wait_for(1)
    assert got[0].body["server"] == "srv-9"
    assert got[0].body["server_id"] == "srv-9"
    assert got[0].body["time"] == wms_time(t0 + timedelta(seconds=100))
    assert_digest(got[0].body, "t")


def test_online_only_subscriber_and_slices(account, receivers, subscribe, clock):
    rx_online, rx_user = receivers(), receivers()
    subscribe(account, rx_online.url, ["server_online"])
    slice_id = account.slice("edge-a only", servers=["edge-a"])
    user = account.user_key([slice_id])
    subscribe(account, rx_user.url, ["server_offline"], api_key=user["api_key"])
    t0 = _start(clock)
    _sync(account, t0, "edge-a")
    _sync(account, t0, "edge-b")
    clock.set(t0 + timedelta(seconds=1300))
    got = rx_user.wait_for(1)
    assert [g.body["server_id"] for g in rx_user.settle(0.8)] == ["edge-a"]
    assert got[0].body["status"] == "offline"
    assert rx_online.received == []  # offline alerts are not its business
    clock.set(t0 + timedelta(seconds=1400))
    _sync(account, t0 + timedelta(seconds=1400), "edge-b")
    got = rx_online.wait_for(1)
    assert got[0].body["server_id"] == "edge-b" and got[0].body["status"] == "online"
