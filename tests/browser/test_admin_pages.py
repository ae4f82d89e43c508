"""Push and reports pages: subscriptions and their deliveries, schedules and their built
reports (downloaded as the API serves them), and the empty states of a new account."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import Tab, screenshot
from tests.browser.dashboard import DAY, crafted_events, sign_in
from tests.conftest import Account

pytestmark = pytest.mark.browser


def rows_of(page: object, section: str) -> list[list[str]]:
    rows = page.locator(f"section[aria-labelledby='{section}'] tbody tr")  # type: ignore[attr-defined]
    return [[c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()] for i in range(rows.count())]


def test_push_page_lists_subscriptions_and_deliveries(account: Account, browser_page: Tab) -> None:
    bearer = {"Authorization": f"Bearer {account.api_key}"}
    with account.server.client() as c:
        made = c.post("/v1/push/subscriptions", headers=bearer,
                      json={"url": "http://127.0.0.1:9/hooks/daily", "events": ["daily_stats"]})
        assert made.status_code == 201, made.text
    with account.server.admin() as admin:
        assert admin.post(f"/admin/v1/push/daily-stats/run?date={DAY}").status_code == 202
    page = browser_page.page
    sign_in(page, account.server.url, account.api_key)
    page.get_by_role("link", name="Push").click()
    page.wait_for_url("**page=push")
    assert page.get_by_role("link", name="Push").get_attribute("aria-current") == "page"
    page.wait_for_selector("section[aria-labelledby='subs-title'] tbody tr")
    subs = rows_of(page, "subs-title")
    assert len(subs) == 1 and subs[0][:3] == ["http://127.0.0.1:9/hooks/daily", "daily_stats", "active"]
    assert subs[0][4] == made.json()["id"]
    page.wait_for_selector("section[aria-labelledby='sends-title'] tbody tr")
    sends = rows_of(page, "sends-title")
    assert [(r[1], r[5]) for r in sends] == [("daily_stats", "http://127.0.0.1:9/hooks/daily")]
    with page.expect_download() as caught:
        page.locator("section[aria-labelledby='subs-title']").get_by_role("button", name="Download CSV").click()
    text = Path(caught.value.path()).read_bytes().decode()
    assert text.splitlines()[0] == "url,events,status,created_ms,id"
    assert text.splitlines()[1].startswith('http://127.0.0.1:9/hooks/daily,"[""daily_stats""]",active,')
    screenshot(page, "push")


def test_reports_page_lists_schedules_and_downloads_built_reports(account: Account, browser_page: Tab) -> None:
    account.send(crafted_events())
    bearer = {"Authorization": f"Bearer {account.api_key}"}
    with account.server.client() as c:
        made = c.post("/v1/report-schedules", headers=bearer, json={
            "type": "viewershipAnalytics", "interval": "DAILY", "params": {"channelId": "news", "timezone": "UTC"},
        })
        assert made.status_code == 201, made.text
        schedule = made.json()["scheduleId"]
        built = c.get(f"/v1/report-schedules/{schedule}/reports/{DAY}", headers=bearer)
        assert built.status_code == 200, built.text
    page = browser_page.page
    sign_in(page, account.server.url, account.api_key)
    page.get_by_role("link", name="Reports").click()
    page.wait_for_selector("section[aria-labelledby='reports-title'] tbody tr")
    assert rows_of(page, "schedules-title")[0][:3] == ["viewershipAnalytics", "DAILY", "channelId=news timezone=UTC"]
    report = rows_of(page, "reports-title")
    assert [r[:3] for r in report] == [["viewershipAnalytics (daily)", DAY, report[0][2]]]
    with page.expect_download() as caught:
        page.get_by_role("button", name=f"Download viewershipAnalytics (daily) {DAY}").click()
    assert Path(caught.value.path()).read_bytes() == built.content  # the stored CSV, unchanged
    screenshot(page, "reports")


def test_new_accounts_get_empty_states_that_say_what_to_do(account: Account, browser_page: Tab) -> None:
    page = browser_page.page
    sign_in(page, account.server.url, account.api_key)
    page.goto(f"{account.server.url}/?page=push")
    page.wait_for_selector("text=No push subscriptions yet")
    assert "POST" in page.locator("main").inner_text() and "/v1/push/subscriptions" in page.locator("main").inner_text()
    assert page.locator("section[aria-labelledby='sends-title']").inner_text().endswith("Nothing has been sent yet.")
    page.goto(f"{account.server.url}/?page=reports")
    page.wait_for_selector("text=No scheduled reports yet")
    assert "/v1/report-schedules" in page.locator("main").inner_text()
