"""Every Amagi filter (seed §5.1.2): channelId, city, country, deviceName, deviceType,
studioName, contentId, adTag; several values of one filter; filters before the row rule."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import Account
from tests.surfaces.amagi.amagi import ad, ok, v2, view

T = datetime(2021, 9, 1, 18, tzinfo=UTC)  # 11:00 PDT


def catalogue() -> list[dict[str, Any]]:
    """Three views, each different in every Amagi dimension; minutes 1, 2, 4 tell them apart."""
    return [
        *view("a", T, 1, channel_id="ch1", city="Abbott", country="United States",
              device_name="Amazon Fire TV", studio="studio1", content_id="c1"),
        *view("b", T, 2, channel_id="ch2", city="Paris", country="France",
              device_name="Apple iPhone", studio="studio2", content_id="c2"),
        *view("c", T, 4, channel_id="ch2", city="Lyon", country="France",
              device_name="Roku", studio="studio2", content_id="c3"),
    ]


def minutes(account: Account, **filters: Any) -> float:
    body = ok(v2(account, type="viewershipAnalytics", startDate="2021-09-01", endDate="2021-09-01",
                 interval="DAILY", **filters))
    return float(body["totalViewershipMinutes"])


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, 7),
        ({"channelId": "ch1"}, 1),
        ({"channelId": "ch2"}, 6),
        ({"city": "Abbott"}, 1),
        ({"country": "France"}, 6),
        ({"country": "United States"}, 1),
        ({"deviceName": "Amazon Fire TV"}, 1),
        ({"deviceType": "Smart TV"}, 1),
        ({"deviceType": "Mobile Phone"}, 2),
        ({"deviceType": "Roku"}, 4),
        ({"deviceName": "Roku"}, 4),
        ({"studioName": "studio2"}, 6),
        ({"contentId": "c3"}, 4),
        ({"country": "France", "deviceType": "Roku"}, 4),
        ({"channelId": "ch9"}, 0),
        ({"channelId": ["ch1", "ch2"]}, 7),
        ({"contentId": ["c1", "c3"]}, 5),
    ],
)
def test_each_filter(account: Account, filters: dict[str, Any], expected: float) -> None:
    account.send(catalogue())
    assert minutes(account, **filters) == expected


def test_filtered_out_buckets_get_no_row(account: Account) -> None:
    account.send([*catalogue(), *view("d", datetime(2021, 9, 2, 18, tzinfo=UTC), 8, channel_id="ch3")])
    body = ok(v2(account, type="viewershipAnalytics", startDate="2021-09-01", endDate="2021-09-02",
                 interval="DAILY", channelId="ch3"))
    assert [r["time"] for r in body["viewershipAnalytics"]] == ["2021-09-02 00:00:00"]
    assert body["dailyAverageViewershipMinutes"] == 8


def test_ad_tag_filters_ad_analytics(account: Account) -> None:
    account.send([
        *view("a", T, 1, channel_id="ch1", country="France"),
        ad("a", T, "impression", ad_tag="tagA"), ad("a", T, "asset", ad_tag="tagA"),
        ad("a", T, "impression", ad_tag="tagB"),
    ])
    def impressions(**filters: Any) -> int:
        body = ok(v2(account, type="adAnalytics", startDate="2021-09-01", endDate="2021-09-01", **filters))
        return int(body["totalImpressionsRecorded"])
    assert impressions() == 2
    assert impressions(adTag="tagA") == 1
    assert impressions(adTag="tagB", country="France") == 1
    assert impressions(adTag="tagC") == 0
    assert impressions(country="United States") == 0
