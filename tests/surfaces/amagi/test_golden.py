"""The seed's sample responses (§7.1.2, §7.2.2), reproduced from crafted events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import Account
from tests.surfaces.amagi.amagi import MINUTE_MS, ms, ok, v2

SESSIONS, VIEWERS, MINUTES = 9445, 6404, 248539


def seed_day_events() -> list[dict[str, Any]]:
    """9445 views by 6404 viewers on 2021-09-01 (US/Pacific), 248539 minutes played in all:
    2969 views of 27 minutes and 6476 of 26 (2969 × 27 + 6476 × 26 = 248539)."""
    start = datetime(2021, 9, 1, 8, tzinfo=UTC)  # 01:00 PDT
    long_views = MINUTES - SESSIONS * 26
    return [
        {
            "ts": ms(start + timedelta(seconds=i)), "type": "view_start", "session_id": f"s{i}",
            "viewer_id": f"v{i % VIEWERS}", "channel_id": "star111-sports-hd",
            "played_ms": (27 if i < long_views else 26) * MINUTE_MS,
        }
        for i in range(SESSIONS)
    ]


def test_viewership_daily_reproduces_the_seed_sample(account: Account) -> None:
    account.send(seed_day_events())
    body = ok(v2(account, type="viewershipAnalytics", startDate="2021-09-01", endDate="2021-09-01",
                 interval="DAILY", channelId="star111-sports-hd"))
    assert body == {
        "dateRange": {"startDate": "2021-09-01", "endDate": "2021-09-01", "interval": "DAILY",
                      "startTime": "00:00", "endTime": "23:00"},
        "viewershipAnalytics": [
            {"time": "2021-09-01 00:00:00", "numberOfViewers": 6404, "uniqueViewers": 6404,
             "numberOfSession": 9445, "viewershipMinutes": 248539},
        ],
        "totalSessions": 9445,
        "totalViewershipMinutes": 248539,
        "aggregatedViewers": 6404,
        "dailyAverageNumberOfViewers": 6404,
        "dailyAverageSessionCount": 9445,
        "dailyAverageViewershipMinutes": 248539,
        "avgSessionDuration": 26.31,  # 248539 / 9445
        "avgSessionPerViewer": 1.47,  # 9445 / 6404
    }


def test_channel_list_has_the_seed_shape(account: Account) -> None:
    t = datetime(2021, 9, 1, 18, tzinfo=UTC)
    account.send([
        {"ts": ms(t), "type": "view_start", "session_id": "a", "channel_id": "star111-sports-hd"},
        {"ts": ms(t), "type": "view_start", "session_id": "b", "channel_id": "star122-flix-hd"},
        {"ts": ms(t), "type": "ad_impression", "session_id": "b"},
    ])
    body = ok(v2(account, type="channelList", customerId=None))
    assert body == {
        "viewershipChannels": [
            {"channelName": "star111-sports-hd", "channelId": "star111-sports-hd"},
            {"channelName": "star122-flix-hd", "channelId": "star122-flix-hd"},
        ],
        "adAnalyticsChannels": [{"channelName": "star122-flix-hd", "channelId": "star122-flix-hd"}],
    }
