"""Managing report schedules (native API, Bearer api_key): create, list, get, delete, and the
native error shape for every bad field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Account
from tests.reports.reports import create, delete, download, schedule_id


def bearer(account: Account, key: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {key or account.api_key}"}


def test_create_list_get_delete(account: Account) -> None:
    r = create(account, "contentAnalytics", "WEEKLY", {"channelId": "ch1", "timezone": "UTC"})
    assert r.status_code == 201, r.text
    created = r.json()
    sid = created["scheduleId"]
    assert created["type"] == "contentAnalytics" and created["interval"] == "WEEKLY"
    assert created["params"] == {"channelId": ["ch1"], "timezone": ["UTC"]}
    with account.server.client() as c:
        listed = c.get("/v1/report-schedules", headers=bearer(account)).json()["schedules"]
        one = c.get(f"/v1/report-schedules/{sid}", headers=bearer(account)).json()
    assert [s["scheduleId"] for s in listed] == [sid]
    assert one["scheduleId"] == sid and one["reports"] == []
    assert delete(account, sid).status_code == 204
    with account.server.client() as c:
        assert c.get("/v1/report-schedules", headers=bearer(account)).json()["schedules"] == []
        assert c.get(f"/v1/report-schedules/{sid}", headers=bearer(account)).status_code == 404
    assert download(account, sid, "2021-08-30").status_code == 404
    assert delete(account, sid).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "concurrentUsers", "interval": "DAILY"}, "type"),
        ({"type": "viewershipAnalytics", "interval": "HOURLY"}, "interval"),
        ({"type": "viewershipAnalytics", "interval": "DAILY", "params": {"timezone": "Nowhere/City"}},
         "params.timezone"),
        ({"type": "viewershipAnalytics", "interval": "DAILY", "params": {"colour": "blue"}}, "params.colour"),
        ({"type": "viewershipAnalytics", "interval": "DAILY", "params": {"interval": "WEEKLY"}}, "params.interval"),
        ({"type": "viewershipAnalytics", "interval": "DAILY", "params": {"channelId": 3}}, "params"),
    ],
)
def test_bad_schedules_are_400_naming_the_field(account: Account, body: dict[str, Any], field: str) -> None:
    with account.server.client() as c:
        r = c.post("/v1/report-schedules", json=body, headers=bearer(account))
    assert r.status_code == 400, r.text
    assert r.json()["error"]["field"] == field


def test_schedules_need_a_key(account: Account) -> None:
    with account.server.client() as c:
        assert c.get("/v1/report-schedules").status_code == 401
        r = c.post("/v1/report-schedules", json={"type": "viewershipAnalytics", "interval": "DAILY"},
                   headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and "error" in r.json()


def test_schedules_are_per_account_and_per_slice(make_account: Callable[..., Account]) -> None:
    a, b = make_account("A"), make_account("B")
    sid = schedule_id(a)
    with a.server.client() as c:
        assert c.get("/v1/report-schedules", headers=bearer(b)).json()["schedules"] == []
        assert c.get(f"/v1/report-schedules/{sid}", headers=bearer(b)).status_code == 404
    assert delete(a, sid, key=b.api_key).status_code == 404
    user = a.user_key([a.slice("ch1", channels=["ch1"])])["api_key"]
    mine = schedule_id(a, key=user)
    with a.server.client() as c:
        seen_by_user = c.get("/v1/report-schedules", headers=bearer(a, user)).json()["schedules"]
        seen_by_account = c.get("/v1/report-schedules", headers=bearer(a)).json()["schedules"]
        assert c.get(f"/v1/report-schedules/{sid}", headers=bearer(a, user)).status_code == 403
    assert [s["scheduleId"] for s in seen_by_user] == [mine]
    assert {s["scheduleId"] for s in seen_by_account} == {sid, mine}
    for s in (sid, mine):
        delete(a, s)
