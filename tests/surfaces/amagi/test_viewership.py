"""viewershipAnalytics: the row rule, averages over the rows listed, timezones (US/Pacific by
default, DST days), HOURLY with startTime / endTime. Expected numbers counted by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.conftest import Account
from tests.surfaces.amagi.amagi import ok, v2, view


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def four_days() -> list[dict[str, Any]]:
    """PDT = UTC-7. 09-01: s1 (A, 10+5 min), s2 (A, 3 min), s3 (B, starts 23:50, 4 min, then 6 min
    played after midnight); 09-02: only s3's 6 minutes; 09-03: s4 (C) starts, plays nothing;
    09-04: a heartbeat of s4 with nothing played (no row)."""
    return [
        *view("s1", utc(2021, 9, 1, 17), 10, viewer="A", heartbeats=((utc(2021, 9, 1, 17, 30), 5),)),
        *view("s2", utc(2021, 9, 1, 18), 3, viewer="A"),
        *view("s3", utc(2021, 9, 2, 6, 50), 4, viewer="B", heartbeats=((utc(2021, 9, 2, 7, 20), 6),)),
        *view("s4", utc(2021, 9, 3, 19), 0, viewer="C", heartbeats=((utc(2021, 9, 4, 19), 0),)),
    ]


def rows(body: dict[str, Any]) -> list[tuple[str, int, int, float]]:
    return [(r["time"], r["numberOfViewers"], r["numberOfSession"], r["viewershipMinutes"])
            for r in body["viewershipAnalytics"]]


def test_rows_for_views_started_or_minutes_played_and_averages_over_them(account: Account) -> None:
    account.send(four_days())
    body = ok(v2(account, type="viewershipAnalytics", startDate="2021-09-01", endDate="2021-09-04", interval="DAILY"))
    assert rows(body) == [
        ("2021-09-01 00:00:00", 2, 3, 22),
        ("2021-09-02 00:00:00", 0, 0, 6),
        ("2021-09-03 00:00:00", 1, 1, 0),
    ]
    assert all(r["uniqueViewers"] == r["numberOfViewers"] for r in body["viewershipAnalytics"])
    assert body["totalSessions"] == 4
    assert body["totalViewershipMinutes"] == 28
    assert body["aggregatedViewers"] == 3
    assert body["dailyAverageNumberOfViewers"] == 1  # (2 + 0 + 1) / 3 rows
    assert body["dailyAverageSessionCount"] == 1.33  # 4 / 3
    assert body["dailyAverageViewershipMinutes"] == 9.33  # 28 / 3
    assert body["avgSessionDuration"] == 7  # 28 / 4
    assert body["avgSessionPerViewer"] == 1.33  # 4 / 3


def test_same_events_give_other_days_in_universal(account: Account) -> None:
    account.send(four_days())
    body = ok(v2(account, type="viewershipAnalytics", startDate="2021-09-01", endDate="2021-09-04",
                 interval="DAILY", timezone="Universal"))
    assert rows(body) == [
        ("2021-09-01 00:00:00", 1, 2, 18),
        ("2021-09-02 00:00:00", 1, 1, 10),
        ("2021-09-03 00:00:00", 1, 1, 0),
    ]
    eastern = ok(v2(account, type="viewershipAnalytics", startDate="2021-09-01", endDate="2021-09-04",
                    interval="DAILY", timezone="US/Eastern"))
    assert [r[0] for r in rows(eastern)] == ["2021-09-01 00:00:00", "2021-09-02 00:00:00", "2021-09-03 00:00:00"]
    assert rows(eastern)[0][2] == 2  # s3 starts 02:50 EDT on 09-02


def test_fall_back_day_in_pacific_and_universal(account: Account) -> None:
    """2021-11-07: PDT until 09:00Z, then PST (UTC-8); that local day has 25 hours."""
    account.send([
        *view("d1", utc(2021, 11, 7, 7, 30), 1),   # 00:30 PDT on 11-07
        *view("d2", utc(2021, 11, 8, 7, 30), 2),   # 23:30 PST on 11-07
        *view("d3", utc(2021, 11, 8, 8, 30), 3),   # 00:30 PST on 11-08
    ])
    pacific = ok(v2(account, type="viewershipAnalytics", startDate="2021-11-07", endDate="2021-11-08",
                    interval="DAILY"))
    assert rows(pacific) == [("2021-11-07 00:00:00", 2, 2, 3), ("2021-11-08 00:00:00", 1, 1, 3)]
    universal = ok(v2(account, type="viewershipAnalytics", startDate="2021-11-07", endDate="2021-11-08",
                      interval="DAILY", timezone="Universal"))
    assert rows(universal) == [("2021-11-07 00:00:00", 1, 1, 1), ("2021-11-08 00:00:00", 2, 2, 5)]


def test_hourly_rows_across_both_dst_changes(account: Account) -> None:
    account.send([
        *view("f1", utc(2021, 11, 7, 7, 30), 1),   # 00:30 PDT
        *view("f2", utc(2021, 11, 7, 8, 15), 1),   # 01:15 PDT
        *view("f3", utc(2021, 11, 7, 9, 15), 1),   # 01:15 PST, the second 01:00 hour
        *view("f4", utc(2021, 11, 8, 7, 30), 1),   # 23:30 PST
        *view("g1", utc(2021, 3, 14, 9, 30), 1),   # 01:30 PST
        *view("g2", utc(2021, 3, 14, 10, 30), 1),  # 03:30 PDT (02:00 does not exist)
    ])
    fall = ok(v2(account, type="viewershipAnalytics", startDate="2021-11-07", endDate="2021-11-07", interval="HOURLY"))
    assert [r[0] for r in rows(fall)] == [
        "2021-11-07 00:00:00", "2021-11-07 01:00:00", "2021-11-07 01:00:00", "2021-11-07 23:00:00",
    ]
    assert fall["totalSessions"] == 4
    assert "hourlyAverageSessionCount" in fall and "dailyAverageSessionCount" not in fall
    assert fall["hourlyAverageSessionCount"] == 1
    spring = ok(v2(account, type="viewershipAnalytics", startDate="2021-03-14", endDate="2021-03-14",
                   interval="HOURLY"))
    assert [r[0] for r in rows(spring)] == ["2021-03-14 01:00:00", "2021-03-14 03:00:00"]
    daily = ok(v2(account, type="viewershipAnalytics", startDate="2021-03-14", endDate="2021-03-14", interval="DAILY"))
    assert rows(daily) == [("2021-03-14 00:00:00", 2, 2, 2)]


def test_hourly_start_and_end_time(account: Account) -> None:
    account.send([
        *view("h1", utc(2021, 9, 1, 16, 10), 1),  # 09:10 PDT
        *view("h2", utc(2021, 9, 1, 17, 20), 2),  # 10:20
        *view("h3", utc(2021, 9, 1, 19, 40), 4),  # 12:40
        *view("h4", utc(2021, 9, 1, 21), 8),      # 14:00
        *view("h5", utc(2021, 9, 2, 8, 30), 16),  # 09-02 01:30
    ])
    base = {"type": "viewershipAnalytics", "interval": "HOURLY", "startDate": "2021-09-01"}
    window = ok(v2(account, **base, endDate="2021-09-01", startTime="10:00", endTime="12:00"))
    assert rows(window) == [("2021-09-01 10:00:00", 1, 1, 2), ("2021-09-01 12:00:00", 1, 1, 4)]
    assert window["dateRange"] == {"startDate": "2021-09-01", "endDate": "2021-09-01", "interval": "HOURLY",
                                   "startTime": "10:00", "endTime": "12:00"}
    assert window["totalViewershipMinutes"] == 6
    whole = ok(v2(account, **base, endDate="2021-09-01"))
    assert [r[0][11:13] for r in rows(whole)] == ["09", "10", "12", "14"]
    assert whole["dateRange"]["startTime"] == "00:00" and whole["dateRange"]["endTime"] == "23:00"
    overnight = ok(v2(account, **base, endDate="2021-09-02", startTime="13:00", endTime="01:00"))
    assert rows(overnight) == [("2021-09-01 14:00:00", 1, 1, 8), ("2021-09-02 01:00:00", 1, 1, 16)]


def test_fractional_minutes_keep_two_decimals(account: Account) -> None:
    account.send([
        *view("m1", utc(2021, 9, 1, 18), 0.5),
        *view("m2", utc(2021, 9, 1, 19), 1.25),
        *view("m3", utc(2021, 9, 1, 20), 0.01),
    ])
    body = ok(v2(account, type="viewershipAnalytics", startDate="2021-09-01", endDate="2021-09-01", interval="DAILY"))
    assert body["viewershipAnalytics"][0]["viewershipMinutes"] == 1.76
    assert body["avgSessionDuration"] == round(1.76 / 3, 2)


def test_an_empty_range_has_no_rows_and_zero_totals(account: Account) -> None:
    body = ok(v2(account, type="viewershipAnalytics", startDate="2021-09-01", endDate="2021-09-02", interval="DAILY"))
    assert body["viewershipAnalytics"] == []
    assert (body["totalSessions"], body["totalViewershipMinutes"], body["aggregatedViewers"]) == (0, 0, 0)
    assert body["dailyAverageSessionCount"] == 0 and body["avgSessionDuration"] == 0
