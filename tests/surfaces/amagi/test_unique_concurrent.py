"""uniqueViewersAnalytics (CONTRACT §6 shape) and concurrentUsers (one point a minute, UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import Account, Clock
from tests.surfaces.amagi.amagi import ms, ok, v2, view


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def viewers() -> list[dict[str, Any]]:
    """PDT: 09-01 10:05 s1 (A, 10 min, then 5 more on 09-02), 10:40 s2 (A, 5 min), 12:00 s3 (B, 0);
    09-03 09:00 s4 (C, 3 min)."""
    return [
        *view("s1", utc(2021, 9, 1, 17, 5), 10, viewer="A", heartbeats=((utc(2021, 9, 2, 17), 5),)),
        *view("s2", utc(2021, 9, 1, 17, 40), 5, viewer="A"),
        *view("s3", utc(2021, 9, 1, 19), 0, viewer="B"),
        *view("s4", utc(2021, 9, 3, 16), 3, viewer="C"),
    ]


def test_daily_unique_viewers_hourly_rows(account: Account) -> None:
    account.send(viewers())
    body = ok(v2(account, type="uniqueViewersAnalytics", startDate="2021-09-01", endDate="2021-09-01",
                 interval="DAILY"))
    assert body == {
        "dailyUniqueViewers": 2,
        "dailyAvgSessionPerViewer": 1.5,          # 3 sessions / 2 viewers
        "dailyAvgSessionDurationPerViewer": 10,   # (15 + 5 + 0) minutes / 2 viewers
        "uniqueViewerAnalytics": [
            {"time": "2021-09-01 10:00:00", "uniqueViewers": 1, "sessionPerViewer": 2, "sessionDurationPerViewer": 20},
            {"time": "2021-09-01 12:00:00", "uniqueViewers": 1, "sessionPerViewer": 1, "sessionDurationPerViewer": 0},
        ],
    }


@pytest.mark.parametrize("interval", ["WEEKLY", "MONTHLY"])
def test_weekly_and_monthly_daily_rows(account: Account, interval: str) -> None:
    account.send(viewers())
    body = ok(v2(account, type="uniqueViewersAnalytics", startDate="2021-09-01", endDate="2021-09-07",
                 interval=interval))
    p = interval.lower()
    assert body[f"{p}UniqueViewers"] == 3
    assert body[f"{p}AvgSessionPerViewer"] == 1.33
    assert body[f"{p}AvgSessionDurationPerViewer"] == 7.67  # 23 minutes / 3 viewers
    assert body["uniqueViewerAnalytics"] == [
        {"time": "2021-09-01 00:00:00", "uniqueViewers": 2, "sessionPerViewer": 1.5, "sessionDurationPerViewer": 10},
        {"time": "2021-09-03 00:00:00", "uniqueViewers": 1, "sessionPerViewer": 1, "sessionDurationPerViewer": 3},
    ]


NOW = utc(2021, 9, 1, 10, 30, 30)


def concurrent(account: Account, hours: str, **params: Any) -> list[dict[str, Any]]:
    return ok(v2(account, type="concurrentUsers", hoursLimit=hours, **params))  # type: ignore[no-any-return]


def test_concurrent_users_one_point_a_minute(account: Account, clock: Clock) -> None:
    clock.set(NOW)
    account.send([
        {"ts": ms(utc(2021, 9, 1, 9, 40, 10)), "type": "view_start", "session_id": "v1", "channel_id": "ch1"},
        {"ts": ms(utc(2021, 9, 1, 9, 42, 50)), "type": "heartbeat", "session_id": "v1"},
        {"ts": ms(utc(2021, 9, 1, 9, 41, 0)), "type": "view_start", "session_id": "v2", "channel_id": "ch2"},
        {"ts": ms(utc(2021, 9, 1, 10, 29, 10)), "type": "view_start", "session_id": "v3", "channel_id": "ch1"},
        {"ts": ms(utc(2021, 9, 1, 10, 30, 5)), "type": "view_start", "session_id": "v4", "channel_id": "ch1"},
    ])
    points = concurrent(account, "1")
    assert len(points) == 60
    assert points[0] == {"time": "2021-09-01T09:30:00.000Z", "viewerCount": 0}
    assert points[-1] == {"time": "2021-09-01T10:29:00.000Z", "viewerCount": 1}
    counts = {p["time"][11:16]: p["viewerCount"] for p in points if p["viewerCount"]}
    assert counts == {"09:40": 1, "09:41": 2, "09:42": 1, "10:29": 1}
    ch1 = concurrent(account, "1", channelId="ch1")
    only_ch1 = {p["time"][11:16]: p["viewerCount"] for p in ch1 if p["viewerCount"]}
    assert only_ch1 == {"09:40": 1, "09:41": 1, "09:42": 1, "10:29": 1}
    times = [p["time"] for p in points]
    assert times == sorted(times)


@pytest.mark.parametrize(("hours", "points"), [("12", 720), ("24", 1440)])
def test_concurrent_windows(account: Account, clock: Clock, hours: str, points: int) -> None:
    clock.set(NOW)
    account.send([{"ts": ms(NOW - timedelta(hours=11)), "type": "view_start", "session_id": "x"}])
    answer = concurrent(account, hours)
    assert len(answer) == points
    assert answer[0]["time"] == (NOW.replace(second=0) - timedelta(hours=int(hours))).strftime("%Y-%m-%dT%H:%M:00.000Z")
    assert sum(p["viewerCount"] for p in answer) == 1
