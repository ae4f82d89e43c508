"""Building and serving reports (seed §6, CONTRACT §6) with a pinned clock: daily, weekly and
monthly periods, 404 for open periods and non-period-start dates, immutability after late
events, the scheduler building each closed period once, and CSV = the API's numbers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import Account, Clock
from tests.reports.reports import as_text, csv_rows, delete, download, schedule_id
from tests.surfaces.amagi.amagi import ad, ok, v2, view


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def week_of_views() -> list[dict[str, Any]]:
    """Views on ch1 from Mon 2021-08-30 to Wed 09-01 (UTC), one on ch2, one in the next week."""
    return [
        *view("a", utc(2021, 8, 30, 9), 5, channel_id="ch1", content_id="c1"),
        *view("b", utc(2021, 8, 30, 15), 7, channel_id="ch1", content_id="c2"),
        *view("c", utc(2021, 9, 1, 10), 3, viewer="viewer-a", channel_id="ch1", content_id="c1"),
        *view("d", utc(2021, 9, 1, 11), 11, channel_id="ch2"),
        *view("e", utc(2021, 9, 6, 11), 13, channel_id="ch1"),
    ]


@pytest.fixture
def schedules(account: Account) -> Iterator[list[str]]:
    """Schedule ids to delete after the test (so the shared scheduler has nothing left to do)."""
    made: list[str] = []
    yield made
    for sid in made:
        delete(account, sid)


def api_rows(account: Account, kind: str, key: str, **params: Any) -> list[dict[str, str]]:
    return [as_text(r) for r in ok(v2(account, type=kind, **params))[key]]


def test_daily_report_after_the_day_ends_and_immutable(
    account: Account, clock: Clock, schedules: list[str]
) -> None:
    account.send(week_of_views())  # before pinning the clock: ingest refuses the future
    clock.set(utc(2021, 8, 30, 10))
    sid = schedule_id(account, params={"channelId": "ch1", "timezone": "UTC"})
    schedules.append(sid)
    assert download(account, sid, "2021-08-30").status_code == 404  # open: the day is not over
    clock.set(utc(2021, 8, 31, 0, 0, 1))
    r = download(account, sid, "2021-08-30")
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].startswith("attachment; filename=")
    assert r.headers["content-disposition"].endswith('2021-08-30.csv"')
    rows = csv_rows(r)
    assert rows == [
        {"time": "2021-08-30 09:00:00", "numberOfViewers": "1", "uniqueViewers": "1", "numberOfSession": "1",
         "viewershipMinutes": "5"},
        {"time": "2021-08-30 15:00:00", "numberOfViewers": "1", "uniqueViewers": "1", "numberOfSession": "1",
         "viewershipMinutes": "7"},
    ]
    assert rows == api_rows(account, "viewershipAnalytics", "viewershipAnalytics", startDate="2021-08-30",
                            endDate="2021-08-30", interval="HOURLY", channelId="ch1", timezone="UTC")
    first = r.text
    clock.reset()
    account.send(view("late", utc(2021, 8, 30, 20), 9, channel_id="ch1"))  # backfilled afterwards
    assert download(account, sid, "2021-08-30").text == first
    later = ok(v2(account, type="viewershipAnalytics", startDate="2021-08-30", endDate="2021-08-30",
                  interval="DAILY", channelId="ch1", timezone="UTC"))
    assert later["totalViewershipMinutes"] == 21  # the API sees the late view; the report does not


def test_daily_report_in_the_default_pacific_zone(account: Account, clock: Clock, schedules: list[str]) -> None:
    sid = schedule_id(account)
    schedules.append(sid)
    clock.set(utc(2021, 8, 31, 6, 59))  # 23:59 PDT on 08-30
    assert download(account, sid, "2021-08-30").status_code == 404
    clock.set(utc(2021, 8, 31, 7, 0))
    assert download(account, sid, "2021-08-30").status_code == 200


def test_weekly_report_monday_to_sunday(account: Account, clock: Clock, schedules: list[str]) -> None:
    account.send(week_of_views())
    sid = schedule_id(account, interval="WEEKLY", params={"timezone": "Universal"})
    schedules.append(sid)
    clock.set(utc(2021, 9, 5, 23, 59))
    assert download(account, sid, "2021-08-30").status_code == 404  # Sunday is not over
    clock.set(utc(2021, 9, 6, 0, 1))
    for not_monday in ("2021-08-31", "2021-09-05"):
        r = download(account, sid, not_monday)
        assert r.status_code == 404 and r.json()["statusCode"] == 404
    rows = csv_rows(download(account, sid, "2021-08-30"))
    assert [(r["time"], r["numberOfSession"], r["viewershipMinutes"]) for r in rows] == [
        ("2021-08-30 00:00:00", "2", "12"), ("2021-09-01 00:00:00", "2", "14"),
    ]
    assert rows == api_rows(account, "viewershipAnalytics", "viewershipAnalytics", startDate="2021-08-30",
                            endDate="2021-09-05", interval="DAILY", timezone="Universal")


def test_monthly_report_and_other_types(account: Account, clock: Clock, schedules: list[str]) -> None:
    account.send([*week_of_views(), ad("a", utc(2021, 8, 30, 9, 1), "asset"),
                  ad("a", utc(2021, 8, 30, 9, 2), "impression")])
    clock.set(utc(2021, 9, 1, 0, 0, 1))
    utc_params = {"timezone": "UTC"}
    expected = {
        "contentAnalytics": ("contentAnalytics", {"interval": "DAILY"}),
        "adAnalytics": ("adAnalytics", {"interval": "DAILY"}),
        "adContentAnalytics": ("adContentAnalytics", {"interval": "DAILY"}),
        "uniqueViewersAnalytics": ("uniqueViewerAnalytics", {"interval": "MONTHLY"}),
    }
    for kind, (key, extra) in expected.items():
        sid = schedule_id(account, type=kind, interval="MONTHLY", params=utc_params)
        schedules.append(sid)
        assert download(account, sid, "2021-08-02").status_code == 404  # not the 1st
        assert download(account, sid, "2021-09-01").status_code == 404  # September is open
        rows = csv_rows(download(account, sid, "2021-08-01"))
        assert rows, kind
        assert rows == api_rows(account, kind, key, startDate="2021-08-01", endDate="2021-08-31", **extra, **utc_params)
    ads = csv_rows(download(account, schedules[1], "2021-08-01"))
    assert ads[0]["conversionRate"] == "100.0" and ads[0]["impressionsRecorded"] == "1"


def test_scheduler_builds_each_closed_period_once(
    account: Account, clock: Clock, schedules: list[str]
) -> None:
    from mediastats.reports.jobs import build_due

    account.send(week_of_views())
    clock.set(utc(2021, 8, 30, 10))
    sid = schedule_id(account, params={"timezone": "UTC"})
    schedules.append(sid)
    services = account.server.services
    asyncio.run(build_due(services))
    assert built(account, sid) == []  # 08-30 is still open
    clock.set(utc(2021, 9, 1, 0, 30))
    asyncio.run(build_due(services))
    assert built(account, sid) == ["2021-08-30", "2021-08-31"]
    before = download(account, sid, "2021-08-30").text
    now = clock()
    clock.reset()
    account.send(view("late", utc(2021, 8, 30, 12), 1))
    clock.set(now)
    asyncio.run(build_due(services))  # nothing to rebuild
    assert built(account, sid) == ["2021-08-30", "2021-08-31"]
    assert download(account, sid, "2021-08-30").text == before
    assert csv_rows(download(account, sid, "2021-08-31")) == []  # no data: header only
    clock.advance(timedelta(days=1))
    asyncio.run(build_due(services))
    assert built(account, sid) == ["2021-08-30", "2021-08-31", "2021-09-01"]


def built(account: Account, sid: str) -> list[str]:
    with account.server.client() as c:
        body = c.get(f"/v1/report-schedules/{sid}", headers={"Authorization": f"Bearer {account.api_key}"}).json()
    return [r["fromDate"] for r in body["reports"]]


def test_report_downloads_respect_accounts_and_slices(
    make_account: Any, clock: Clock, schedules: list[str], account: Account
) -> None:
    account.send(week_of_views())
    clock.set(utc(2021, 9, 2, 12))
    other = make_account("other")
    ch1 = account.slice("ch1", channels=["ch1"])
    ch2_key = account.user_key([account.slice("ch2", channels=["ch2"])])["api_key"]
    user = account.user_key([ch1])["api_key"]
    sid = schedule_id(account, key=user, params={"timezone": "UTC"})
    schedules.append(sid)
    assert download(account, sid, "2021-09-01", token=other.api_key).status_code == 404
    assert download(account, sid, "2021-09-01", token=ch2_key).status_code == 403
    rows = csv_rows(download(account, sid, "2021-09-01", token=user))
    assert [r["viewershipMinutes"] for r in rows] == ["3"]  # ch1 only: d on ch2 is not in the slice
    assert csv_rows(download(account, sid, "2021-09-01")) == rows  # the account key may read it too
    r = download(account, sid, "2021-9-1")
    assert r.status_code == 422 and "from_date" in r.json()["message"]
    with account.server.client() as c:
        native = c.get(f"/v1/report-schedules/{sid}/reports/2021-09-01", headers={"Authorization": f"Bearer {user}"})
    assert native.status_code == 200 and native.text == download(account, sid, "2021-09-01").text
