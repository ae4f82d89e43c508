"""contentAnalytics, adAnalytics and adContentAnalytics: rows per day (and content), ad funnel
counts and conversion rates (CONTRACT §4, §6), and pagination edges."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import Account
from tests.surfaces.amagi.amagi import ad, ok, v2, view

DAY1 = datetime(2021, 9, 1, 18, tzinfo=UTC)  # 11:00 PDT on 09-01
DAY2 = datetime(2021, 9, 2, 18, tzinfo=UTC)
RANGE = {"startDate": "2021-09-01", "endDate": "2021-09-02"}


def programmes() -> list[dict[str, Any]]:
    """09-01: c1 "News" (x: 3 min, y: 5 min, both viewer V), c2 "Film" of "Saga" (z: 2 min);
    09-02: c2 (w: 7 min), c3 with no name (u: 1 min)."""
    news = {"content_id": "c1", "content_name": "News"}
    film = {"content_id": "c2", "content_name": "Film", "series_name": "Saga"}
    return [
        *view("x", DAY1, 3, viewer="V", **news), *view("y", DAY1, 5, viewer="V", **news),
        *view("z", DAY1, 2, **film), *view("w", DAY2, 7, **film), *view("u", DAY2, 1, content_id="c3"),
    ]


def content(account: Account, **params: Any) -> dict[str, Any]:
    query: dict[str, Any] = {"type": "contentAnalytics", "interval": "DAILY", **RANGE, **params}
    return ok(v2(account, **query))  # type: ignore[no-any-return]


def test_content_rows_per_day_and_content(account: Account) -> None:
    account.send(programmes())
    body = content(account)
    assert body["contentAnalytics"] == [
        {"date": "2021-09-01 00:00:00", "contentId": "c1", "contentName": "News", "seriesName": "",
         "numberOfViewers": 1, "uniqueViewers": 1, "numberOfSession": 2, "viewershipMinutes": 8},
        {"date": "2021-09-01 00:00:00", "contentId": "c2", "contentName": "Film", "seriesName": "Saga",
         "numberOfViewers": 1, "uniqueViewers": 1, "numberOfSession": 1, "viewershipMinutes": 2},
        {"date": "2021-09-02 00:00:00", "contentId": "c2", "contentName": "Film", "seriesName": "Saga",
         "numberOfViewers": 1, "uniqueViewers": 1, "numberOfSession": 1, "viewershipMinutes": 7},
        {"date": "2021-09-02 00:00:00", "contentId": "c3", "contentName": "", "seriesName": "",
         "numberOfViewers": 1, "uniqueViewers": 1, "numberOfSession": 1, "viewershipMinutes": 1},
    ]
    assert body["totalCount"] == 4
    assert (body["totalSessions"], body["totalViewershipMinutes"], body["aggregatedViewers"]) == (5, 18, 4)
    assert body["avgSessionDuration"] == 3.6 and body["avgSessionPerViewer"] == 1.25
    hourly = content(account, interval="HOURLY")
    assert [r["date"] for r in hourly["contentAnalytics"]] == [r["date"] for r in body["contentAnalytics"]]
    assert hourly["dateRange"]["interval"] == "HOURLY"


@pytest.mark.parametrize(
    ("paging", "expected"),
    [
        ({"limit": "1"}, ["c1"]),
        ({"limit": "1", "page": "1"}, ["c1"]),
        ({"limit": "1", "page": "2"}, ["c2"]),
        ({"limit": "3", "page": "2"}, ["c3"]),
        ({"limit": "4", "page": "2"}, []),
        ({"limit": "2", "page": "9"}, []),
        ({"limit": "100"}, ["c1", "c2", "c2", "c3"]),
        ({"page": "1"}, ["c1", "c2", "c2", "c3"]),
        ({"page": "2"}, []),
    ],
)
def test_content_pagination(account: Account, paging: dict[str, str], expected: list[str]) -> None:
    account.send(programmes())
    body = content(account, **paging)
    assert [r["contentId"] for r in body["contentAnalytics"]] == expected
    assert body["totalCount"] == 4 and body["totalSessions"] == 5


@pytest.mark.parametrize(("name", "value"), [("page", "0"), ("limit", "0"), ("limit", "-1"), ("page", "two")])
def test_bad_paging_is_422_naming_it(account: Account, name: str, value: str) -> None:
    r = v2(account, type="contentAnalytics", interval="DAILY", **RANGE, **{name: value})
    assert r.status_code == 422
    assert r.json()["statusCode"] == 422 and name in r.json()["message"]


def funnel() -> list[dict[str, Any]]:
    """09-01: 2 opportunities, 2 requests, 2 responses, 2 assets, 1 impression (50 %) on c1;
    09-02: 1 opportunity and 1 request on c2 (no asset: 0 %); 09-03: a view, no ad (no row)."""
    kinds1 = ["opportunity", "opportunity", "request", "request", "response", "response", "asset", "asset",
              "impression"]
    return [
        *view("a", DAY1, 1, content_id="c1", content_name="News"),
        *(ad("a", DAY1, k) for k in kinds1),
        *view("b", DAY2, 1, content_id="c2"),
        ad("b", DAY2, "opportunity"), ad("b", DAY2, "request"),
        *view("c", datetime(2021, 9, 3, 18, tzinfo=UTC), 1),
    ]


def test_ad_analytics_rows_totals_and_averages(account: Account) -> None:
    account.send(funnel())
    body = ok(v2(account, type="adAnalytics", startDate="2021-09-01", endDate="2021-09-03"))
    assert body["dateRange"]["interval"] == "DAILY"
    assert body["adAnalytics"] == [
        {"time": "2021-09-01 00:00:00", "adOpportunitiesDetected": 2, "adRequestsSent": 2, "adResponsesReceived": 2,
         "adAssetsReceived": 2, "impressionsRecorded": 1, "conversionRate": 50.0},
        {"time": "2021-09-02 00:00:00", "adOpportunitiesDetected": 1, "adRequestsSent": 1, "adResponsesReceived": 0,
         "adAssetsReceived": 0, "impressionsRecorded": 0, "conversionRate": 0.0},
    ]
    assert {k: v for k, v in body.items() if k.startswith("total")} == {
        "totalAdOpportunitiesDetected": 3, "totalAdRequestsSent": 3, "totalAdResponsesReceived": 2,
        "totalAdAssetsReceived": 2, "totalImpressionsRecorded": 1, "totalConversionRate": 50.0,
    }
    assert body["dailyAverageAdOpportunitiesDetected"] == 1.5 and body["dailyAverageImpressionsRecorded"] == 0.5
    hourly = ok(v2(account, type="adAnalytics", startDate="2021-09-01", endDate="2021-09-03", interval="HOURLY"))
    assert [r["time"] for r in hourly["adAnalytics"]] == ["2021-09-01 11:00:00", "2021-09-02 11:00:00"]
    assert hourly["dateRange"]["interval"] == "HOURLY" and "hourlyAverageAdRequestsSent" in hourly


def test_conversion_rate_is_unrounded(account: Account) -> None:
    account.send([*view("a", DAY1, 1), *(ad("a", DAY1, "asset") for _ in range(3)), ad("a", DAY1, "impression")])
    body = ok(v2(account, type="adAnalytics", startDate="2021-09-01", endDate="2021-09-01"))
    assert body["adAnalytics"][0]["conversionRate"] == 1 / 3 * 100
    assert body["totalConversionRate"] == 1 / 3 * 100


def test_ad_content_rows(account: Account) -> None:
    account.send(funnel())
    body = ok(v2(account, type="adContentAnalytics", startDate="2021-09-01", endDate="2021-09-03"))
    assert body["adContentAnalytics"] == [
        {"date": "2021-09-01 00:00:00", "contentId": "c1", "contentName": "News", "seriesName": "",
         "adOpportunitiesDetected": 2, "adRequestsSent": 2, "adResponsesReceived": 2, "adAssetsReceived": 2,
         "impressionsRecorded": 1, "conversionRate": 50.0},
        {"date": "2021-09-02 00:00:00", "contentId": "c2", "contentName": "", "seriesName": "",
         "adOpportunitiesDetected": 1, "adRequestsSent": 1, "adResponsesReceived": 0, "adAssetsReceived": 0,
         "impressionsRecorded": 0, "conversionRate": 0.0},
    ]
    assert body["totalCount"] == 2 and body["totalImpressionsRecorded"] == 1
    paged = ok(v2(account, type="adContentAnalytics", startDate="2021-09-01", endDate="2021-09-03",
                  limit="1", page="2", contentId="c2"))
    assert paged["adContentAnalytics"] == [] and paged["totalCount"] == 1
