"""The daily-statistics push (CONTRACT §7): WMSPanel's body, day objects counted by hand from
a few events (CONTRACT §4), the same numbers as the Query core, per data slice, newest first;
sent on demand by the operator and automatically after 00:00 UTC, once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mediastats.query import Filter, Query, Scope, SliceScope, TimeRange, run_sync
from mediastats.surfaces.wmspanel.daily import daily_stats_days
from tests.push.signatures import assert_digest, assert_standard_webhook, wms_time

DAY = date(2025, 3, 11)
CHROME_WIN = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/120.0.0.0 Safari/537.36")
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"


def at(day: date, hh: int, mm: int, ss: int = 0) -> int:
    return int(datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=UTC).timestamp() * 1000)


def events() -> list[dict[str, Any]]:
    d, d2 = DAY, DAY - timedelta(days=2)
    s1 = {"session_id": "s1", "viewer_id": "v1", "server_id": "edge-1", "protocol": "HLS", "user_agent": CHROME_WIN}
    s2 = {"session_id": "s2", "viewer_id": "v1", "server_id": "edge-1", "protocol": "RTMP"}
    s3 = {"session_id": "s3", "viewer_id": "v2", "server_id": "edge-2", "protocol": "DASH",
          "user_agent": FIREFOX_LINUX}
    s4 = {"session_id": "s4", "viewer_id": "v3", "server_id": "edge-1", "protocol": "HLS", "user_agent": CHROME_WIN}
    return [
        {**s1, "type": "view_start", "ts": at(d, 10, 0, 0)},
        {"session_id": "s1", "type": "heartbeat", "ts": at(d, 10, 0, 30), "played_ms": 30000, "bytes_cdn": 1_000_000},
        {"session_id": "s1", "type": "view_end", "ts": at(d, 10, 1, 0), "played_ms": 30000, "bytes_p2p": 500_000},
        {**s2, "type": "view_start", "ts": at(d, 10, 0, 40)},
        {"session_id": "s2", "type": "view_end", "ts": at(d, 10, 0, 43), "played_ms": 3000, "bytes_cdn": 300_000},
        {**s3, "type": "view_start", "ts": at(d, 12, 0, 0)},
        {"session_id": "s3", "type": "heartbeat", "ts": at(d, 12, 10, 0), "played_ms": 600_000,
         "bytes_cdn": 6_000_000},
        {"session_id": "s3", "type": "view_end", "ts": at(d, 12, 20, 0)},
        {**s4, "type": "view_start", "ts": at(d2, 8, 0, 0)},
        {"session_id": "s4", "type": "view_end", "ts": at(d2, 8, 0, 10), "played_ms": 10000, "bytes_cdn": 100_000},
    ]


ZERO = {"rtmp_viewers": 0, "cupertino_viewers": 0, "smooth_viewers": 0, "sanjose_viewers": 0, "rtsp_viewers": 0,
        "pd_viewers": 0, "dash_viewers": 0, "message_in": 0, "message_lost": 0, "max_message_in_rate": 0,
        **dict.fromkeys(("l5s", "l10s", "l15s", "l20s", "l25s", "l30s", "l5m", "l15m", "l30m", "l1h", "l2h", "l3h",
                         "g3h"), 0)}


def day_object(**values: Any) -> dict[str, Any]:
    return {**ZERO, **values}


# Counted by hand (CONTRACT §4, §7). Full slice, DAY: s1 (60 s span → l5m), s2 (3 s → l5s),
# s3 (20 min → l30m); played 30+30+3+600 s; bytes 1M + 0.5M + 0.3M + 6M; the busiest 5-minute
# bucket is 12:10 with 6M bytes → 6e6 × 8 / 300 = 160000 bit/s; s1 and s2 overlap in 10:00.
FULL_DAY = day_object(
    date="2025-03-11T00:00:00Z", viewers=3, total_view_time=663, message_out=7_800_000,
    max_message_out_rate=160_000, rtmp_viewers=1, cupertino_viewers=1, dash_viewers=1,
    l5s=1, l5m=1, l30m=1, unique_viewers=2, peak_concurrent=2,
    players={"Unknown": 0, "Flash": 1, "Chrome": 1, "Firefox": 1},
    devices={"Unknown": 1, "Windows": 1, "Linux": 1},
)
# D-2: s4 only: 10 s span → l15s; 100000 bytes in one 5-minute bucket → 2666.67 → 2667 bit/s.
EARLY_DAY = day_object(
    date="2025-03-09T00:00:00Z", viewers=1, total_view_time=10, message_out=100_000, max_message_out_rate=2667,
    cupertino_viewers=1, l15s=1, unique_viewers=1, peak_concurrent=1,
    players={"Unknown": 0, "Flash": 0, "Chrome": 1}, devices={"Unknown": 0, "Windows": 1},
)
# Slice edge-1: s1 and s2 on DAY; 1.8M bytes in the 10:00 bucket → 48000 bit/s.
EDGE_DAY = day_object(
    date="2025-03-11T00:00:00Z", viewers=2, total_view_time=63, message_out=1_800_000, max_message_out_rate=48_000,
    rtmp_viewers=1, cupertino_viewers=1, l5s=1, l5m=1, unique_viewers=1, peak_concurrent=2,
    players={"Unknown": 0, "Flash": 1, "Chrome": 1}, devices={"Unknown": 1, "Windows": 1},
)


def slice_ids(server, account) -> dict[str, str]:
    with server.admin() as c:
        return {s["name"]: s["id"] for s in c.get(f"/admin/v1/accounts/{account.id}/data_slices").json()}


def test_on_demand_push_body(server, account, receivers, subscribe):
    account.send(events())
    edge = account.slice("edge-1 only", servers=["edge-1"])
    full = slice_ids(server, account)["Full data slice"]
    rx = receivers()
    sub = subscribe(account, rx.url, ["daily_stats"], token="daily-token")
    with server.admin() as c:
        r = c.post("/admin/v1/push/daily-stats/run", params={"date": DAY.isoformat()})
    assert r.status_code == 202, r.text
    got = rx.wait_for(1)
    body = got[0].body
    assert set(body) == {"time", "digest", "statistics"}
    assert datetime.strptime(body["time"], "%Y-%m-%d %H:%M:%S UTC")
    assert_digest(body, "daily-token")
    assert_standard_webhook(got[0], sub["secret"])
    assert body["statistics"] == {
        full: {"name": "Full data slice", "stats": [[FULL_DAY], [EARLY_DAY]]},
        edge: {"name": "edge-1 only", "stats": [[EDGE_DAY], [EARLY_DAY]]},
    }
    assert list(body["statistics"][full]["stats"][0][0]) == [  # WMSPanel's order, then ours
        "date", "viewers", "total_view_time", "message_out", "max_message_out_rate", "rtmp_viewers",
        "cupertino_viewers", "smooth_viewers", "sanjose_viewers", "rtsp_viewers", "pd_viewers", "dash_viewers",
        "message_in", "message_lost", "max_message_in_rate", "l5s", "l10s", "l15s", "l20s", "l25s", "l30s", "l5m",
        "l15m", "l30m", "l1h", "l2h", "l3h", "g3h", "unique_viewers", "peak_concurrent", "players", "devices",
    ]


def test_user_key_subscription_gets_only_its_slices(server, account, receivers, subscribe):
    account.send(events())
    edge = account.slice("edge-1 only", servers=["edge-1"])
    user = account.user_key([edge])
    rx = receivers()
    subscribe(account, rx.url, ["daily_stats"], api_key=user["api_key"])
    with server.admin() as c:
        assert c.post("/admin/v1/push/daily-stats/run", params={"date": DAY.isoformat()}).status_code == 202
    body = rx.wait_for(1)[0].body
    assert body["statistics"] == {edge: {"name": "edge-1 only", "stats": [[EDGE_DAY], [EARLY_DAY]]}}


def test_day_objects_equal_the_query_core(server, account):
    account.send(events())
    storage = server.services.storage
    edge_scope = Scope(account.id, (SliceScope(servers=("edge-1",)),))
    for scope, servers in ((Scope(account.id), ()), (edge_scope, ("edge-1",))):
        days = asyncio.run(daily_stats_days(storage, scope, DAY - timedelta(days=2), DAY))
        assert [d["date"] for d in days] == ["2025-03-09T00:00:00Z", "2025-03-11T00:00:00Z"]  # empty day left out
        start = datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC)
        core = run_sync(storage, Query(
            scope=scope, time=TimeRange(start, start + timedelta(days=1)),
            metrics=("views", "viewing_time_ms", "bytes_total", "unique_viewers", "bandwidth_bps.max",
                     "active_views.max"),
        )).first()
        day = days[-1]
        assert day["viewers"] == core["views"]
        assert day["total_view_time"] == round(core["viewing_time_ms"] / 1000)
        assert day["message_out"] == core["bytes_total"]
        assert day["unique_viewers"] == core["unique_viewers"]
        assert day["max_message_out_rate"] == round(core["bandwidth_bps.max"])
        assert day["peak_concurrent"] == core["active_views.max"]
        assert day == (FULL_DAY if not servers else EDGE_DAY)
    # Filters narrow the days further (the pull endpoint's server=).
    only_edge2 = asyncio.run(daily_stats_days(storage, Scope(account.id), DAY - timedelta(days=2), DAY,
                                              filters=(Filter("server_id", ("edge-2",)),)))
    assert [(d["date"], d["viewers"], d["dash_viewers"]) for d in only_edge2] == [("2025-03-11T00:00:00Z", 1, 1)]


def test_automatic_push_after_midnight_once(server, account, receivers, subscribe, clock):
    account.send(events())
    full = slice_ids(server, account)["Full data slice"]
    rx = receivers()
    clock.set(datetime(2025, 3, 11, 9, 0, tzinfo=UTC))
    sub = subscribe(account, rx.url, ["daily_stats"], token="auto")
    clock.set(datetime(2025, 3, 11, 23, 59, 59, tzinfo=UTC))
    assert rx.settle(0.8) == []  # the day has not closed yet
    midnight = datetime(2025, 3, 12, 0, 0, 5, tzinfo=UTC)
    clock.set(midnight)
    got = rx.wait_for(1)
    assert got[0].body["time"] == wms_time(midnight) == "2025-03-12 00:00:05 UTC"
    assert_digest(got[0].body, "auto")
    assert_standard_webhook(got[0], sub["secret"], clock_shifted=True)
    assert got[0].body["statistics"] == {full: {"name": "Full data slice", "stats": [[FULL_DAY], [EARLY_DAY]]}}
    clock.set(midnight + timedelta(hours=3))
    assert len(rx.settle(1.0)) == 1  # once per day


def test_subscription_made_after_midnight_waits_for_the_next(server, account, receivers, subscribe, clock):
    rx = receivers()
    clock.set(datetime(2025, 3, 12, 8, 0, tzinfo=UTC))
    subscribe(account, rx.url, ["daily_stats"])
    assert rx.settle(1.0) == []  # 2025-03-11 closed before it existed
    clock.set(datetime(2025, 3, 13, 0, 1, tzinfo=UTC))
    body = rx.wait_for(1)[0].body
    assert all(entry["stats"] == [] for entry in body["statistics"].values())  # no data: days left out
