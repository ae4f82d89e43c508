"""``GET /wmspanel/v1/daily_stats``: the day objects of the daily-statistics push (CONTRACT §7),
computed by hand from three views on 2024-02-10:

    a  alice  HLS   10:00:00 → 10:00:04   played 4 s,    1,000,000 cdn bytes at 10:00:04
    b  bob    RTMP  10:00:02 → 10:12:00   played 600 s,  2,000,000 cdn + 500,000 p2p at 10:12:00
    c  alice  DASH  11:00:00 → 11:00:20   played 20 s

viewers 3, unique 2, view time 624 s, message_out 3,500,000; peak rate: the 10:10–10:15 bucket,
2,500,000 × 8 / 300 = 66,666.7 → 66,667 bit/s; peak concurrency 2 (a and b in minute 10:00);
spans: a 4 s (l5s), c 20 s (l25s), b 11 min 58 s (l15m).
"""

from __future__ import annotations

from tests.conftest import Account
from tests.surfaces.wmspanel.wms import assert_error, stats, wms_get

DAY = "2024-02-10"
SPANS = ("l5s", "l10s", "l15s", "l20s", "l25s", "l30s", "l5m", "l15m", "l30m", "l1h", "l2h", "l3h", "g3h")


def test_daily_stats_day_object(account: Account) -> None:
    account.send([
        {"ts": f"{DAY}T10:00:00Z", "type": "view_start", "session_id": "a", "viewer_id": "alice", "protocol": "HLS"},
        {"ts": f"{DAY}T10:00:04Z", "type": "heartbeat", "session_id": "a", "played_ms": 4000, "bytes_cdn": 1_000_000},
        {"ts": f"{DAY}T10:00:02Z", "type": "view_start", "session_id": "b", "viewer_id": "bob", "protocol": "RTMP"},
        {"ts": f"{DAY}T10:12:00Z", "type": "heartbeat", "session_id": "b", "played_ms": 600_000,
         "bytes_cdn": 2_000_000, "bytes_p2p": 500_000},
        {"ts": f"{DAY}T11:00:00Z", "type": "view_start", "session_id": "c", "viewer_id": "alice", "protocol": "DASH"},
        {"ts": f"{DAY}T11:00:20Z", "type": "view_end", "session_id": "c", "played_ms": 20_000},
    ])
    spans = dict.fromkeys(SPANS, 0) | {"l5s": 1, "l25s": 1, "l15m": 1}
    assert stats(account, "daily_stats", **{"from": "2024-02-09", "to": "2024-02-11"}) == [{
        "date": f"{DAY}T00:00:00Z", "viewers": 3, "total_view_time": 624, "message_out": 3_500_000,
        "max_message_out_rate": 66_667, "rtmp_viewers": 1, "cupertino_viewers": 1, "smooth_viewers": 0,
        "sanjose_viewers": 0, "rtsp_viewers": 0, "pd_viewers": 0, "dash_viewers": 1,
        "message_in": 0, "message_lost": 0, "max_message_in_rate": 0, **spans,
        "unique_viewers": 2, "peak_concurrent": 2,
        "players": {"Unknown": 2, "Flash": 1}, "devices": {"Unknown": 3},
    }]


def test_daily_stats_needs_dates_and_a_slice_of_yours(account: Account) -> None:
    assert_error(wms_get(account, "daily_stats", to=DAY), 400, "from")
    assert_error(wms_get(account, "daily_stats", data_slice="x", **{"from": DAY, "to": DAY}), 403, "slice")
    assert stats(account, "daily_stats", **{"from": DAY, "to": DAY}) == []
