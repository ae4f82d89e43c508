"""Every error in Amagi's shape ``{"statusCode", "error", "message"}`` (CONTRACT §6): 401 for a
missing token, 403 ``Invalid header access-token``, 422 naming each missing or bad parameter."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.surfaces.amagi.amagi import v2

DAILY = {"startDate": "2021-09-01", "endDate": "2021-09-01", "interval": "DAILY"}


def assert_error(r: httpx.Response, status: int, reason: str, *words: str) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"statusCode", "error", "message"}
    assert body["statusCode"] == status and body["error"] == reason
    for word in words:
        assert word in body["message"], body
    return str(body["message"])


def test_missing_token_is_401(account: Account) -> None:
    assert_error(v2(account, token="", type="viewershipAnalytics", **DAILY), 401, "Unauthorized")


def test_invalid_token_is_403(account: Account) -> None:
    message = assert_error(v2(account, token="nope", type="viewershipAnalytics", **DAILY), 403, "Forbidden")
    assert message == "Invalid header access-token"


def test_neither_customer_nor_channel_is_422(account: Account) -> None:
    message = assert_error(v2(account, customerId=None, type="viewershipAnalytics", **DAILY),
                           422, "Unprocessable Entity")
    assert message == "customer_id or channel_id should be sent in query"
    r = v2(account, customerId=None, channelId="ch1", type="viewershipAnalytics", **DAILY)
    assert r.status_code == 200
    r = v2(account, customerId="any-value-at-all", type="viewershipAnalytics", **DAILY)
    assert r.status_code == 200


REQUIRED = [
    ("viewershipAnalytics", "startDate"), ("viewershipAnalytics", "endDate"), ("viewershipAnalytics", "interval"),
    ("contentAnalytics", "startDate"), ("contentAnalytics", "endDate"), ("contentAnalytics", "interval"),
    ("adAnalytics", "startDate"), ("adAnalytics", "endDate"),
    ("adContentAnalytics", "startDate"), ("adContentAnalytics", "endDate"),
    ("uniqueViewersAnalytics", "startDate"), ("uniqueViewersAnalytics", "endDate"),
    ("uniqueViewersAnalytics", "interval"),
]


@pytest.mark.parametrize(("kind", "missing"), REQUIRED)
def test_each_missing_required_parameter_is_422(account: Account, kind: str, missing: str) -> None:
    params: dict[str, Any] = {**DAILY, missing: None}
    assert_error(v2(account, type=kind, **params), 422, "Unprocessable Entity", missing)


def test_missing_type_and_hours_limit_are_422(account: Account) -> None:
    assert_error(v2(account, **DAILY), 422, "Unprocessable Entity", "type")
    assert_error(v2(account, type="concurrentUsers"), 422, "Unprocessable Entity", "hoursLimit")


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"type": "viewership"}, "type"),
        ({"type": "viewershipAnalytics", **DAILY, "startDate": "2021/09/01"}, "startDate"),
        ({"type": "viewershipAnalytics", **DAILY, "endDate": "2021-02-30"}, "endDate"),
        ({"type": "viewershipAnalytics", **DAILY, "startDate": "2021-09-02"}, "endDate"),
        ({"type": "viewershipAnalytics", **DAILY, "interval": "WEEKLY"}, "interval"),
        ({"type": "uniqueViewersAnalytics", **DAILY, "interval": "HOURLY"}, "interval"),
        ({"type": "adAnalytics", **DAILY, "interval": "MONTHLY"}, "interval"),
        ({"type": "viewershipAnalytics", **DAILY, "timezone": "Mars/Olympus"}, "timezone"),
        ({"type": "viewershipAnalytics", **DAILY, "interval": "HOURLY", "startTime": "25:00"}, "startTime"),
        ({"type": "viewershipAnalytics", **DAILY, "interval": "HOURLY", "endTime": "noon"}, "endTime"),
        ({"type": "viewershipAnalytics", **DAILY, "interval": "HOURLY", "startTime": "12:00", "endTime": "11:00"},
         "endTime"),
        ({"type": "concurrentUsers", "hoursLimit": "48"}, "hoursLimit"),
        ({"type": "concurrentUsers", "hoursLimit": "0"}, "hoursLimit"),
        ({"type": "concurrentUsers", "hoursLimit": "one"}, "hoursLimit"),
    ],
)
def test_invalid_parameters_are_422_naming_them(account: Account, params: dict[str, Any], named: str) -> None:
    assert_error(v2(account, **params), 422, "Unprocessable Entity", named)


def test_daily_limit_is_429_in_amagi_shape(account: Account) -> None:
    account.patch(daily_api_limit=1)
    assert v2(account, type="viewershipAnalytics", **DAILY).status_code == 200
    assert_error(v2(account, type="viewershipAnalytics", **DAILY), 429, "Too Many Requests")


def test_refused_calls_do_not_count(account: Account) -> None:
    account.patch(daily_api_limit=1)
    assert v2(account, type="viewershipAnalytics").status_code == 422
    assert v2(account, type="viewershipAnalytics", **DAILY).status_code == 200


def test_ip_whitelist_is_403_in_amagi_shape(account: Account) -> None:
    account.patch(ip_whitelist=["203.0.113.0/24"])
    assert_error(v2(account, type="viewershipAnalytics", **DAILY), 403, "Forbidden", "whitelist")


def test_unknown_report_download_is_404_in_amagi_shape(account: Account) -> None:
    with account.server.client() as c:
        r = c.get("/amagi/api/v1/download-reports/nope/2021-09-01", headers={"x-access-token": account.api_key})
    assert_error(r, 404, "Not Found", "nope")
    with account.server.client() as c:
        r = c.get("/amagi/api/v1/download-reports/nope/2021-09-01")
    assert_error(r, 401, "Unauthorized")
