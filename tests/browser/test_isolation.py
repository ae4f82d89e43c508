"""Tenants in the browser: a user-specific key sees only its slices' data, another account
sees none of it, and a new account gets the empty state that tells it how to send data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.conftest import Tab, screenshot
from tests.browser.dashboard import RANGE, crafted_events, sign_in, table_rows, total, wait_for_overview
from tests.conftest import Account

pytestmark = pytest.mark.browser
XRW = {"X-Requested-With": "mediastats"}


def test_a_user_key_sees_only_its_slice(account: Account, browser_page: Tab) -> None:
    account.send(crafted_events())
    sport = account.slice("sport only", channels=["sport"])
    key = account.user_key([sport], name="sport desk")["api_key"]
    page = browser_page.page
    sign_in(page, account.server.url, key, f"/?{RANGE}")
    assert page.locator("#who-name").inner_text() == "test account · sport only"
    assert total(page, "views") == "1" and total(page, "viewing") == "120000"
    assert table_rows(page) == [["sport", "1", "1", "2.0 min", "6.25 %", "2.00 MB"]]
    # Asking for the other slice's channel by URL shows nothing of it.
    page.goto(f"{account.server.url}/?channel=news&{RANGE}")
    wait_for_overview(page)
    assert total(page, "views") == "0" and total(page, "viewing") == "0"
    assert page.locator("#empty-range").is_visible()
    # The session's API calls are scoped the same way.
    answer = page.evaluate("""async () => (await fetch('/v1/query', {method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-Requested-With': 'mediastats'},
        body: JSON.stringify({metrics: ['views'], dimensions: ['channel_id'],
                              date_range: ['2026-09-14', '2026-09-14']})})).json()""")
    assert answer["results"] == [{"channel_id": "sport", "views": 1}]


def test_another_account_sees_none_of_it_and_is_told_how_to_send_data(
    make_account: Callable[..., Account], browser_page: Tab
) -> None:
    a, b = make_account("Broadcaster A"), make_account("Broadcaster B")
    a.send(crafted_events())
    page = browser_page.page
    sign_in(page, b.server.url, b.api_key, f"/?{RANGE}")
    assert page.locator("#who-name").inner_text() == "Broadcaster B"
    assert total(page, "views") == "0"
    assert page.locator("#breakdown-panel").inner_text() == "No channel with data in this range."
    onboarding = page.locator("#onboarding")
    onboarding.wait_for()
    text = onboarding.inner_text()
    assert "No data yet" in text and f"{b.server.url}/v1/events" in text and "/sdk/mediastats.js" in text
    assert b.api_key not in text and b.ingest_key not in text  # keys are never printed on the page
    screenshot(page, "empty-state")


def test_signing_out_returns_to_the_form_and_forgets_the_session(account: Account, browser_page: Tab) -> None:
    page = browser_page.page
    sign_in(page, account.server.url, account.api_key, f"/?{RANGE}")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_selector("#signin:not([hidden])")
    assert page.locator("#signin-error").inner_text() == "You are signed out."
    assert page.context.cookies() == []
    page.reload()
    page.wait_for_selector("#signin:not([hidden])")
    assert page.locator("#view").inner_text() == ""


def test_a_wrong_key_is_refused_on_the_form(server: object, browser_page: Tab) -> None:
    page = browser_page.page
    page.goto(f"{server.url}/")  # type: ignore[attr-defined]
    page.get_by_label("API key").fill("not-a-key")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("#signin-error:has-text('not valid')")
    screenshot(page, "sign-in")
    assert not page.locator("#nav").is_visible() and not page.get_by_role("button", name="Sign out").is_visible()
    assert page.locator("#signin-error").get_attribute("role") == "alert"
    assert page.context.cookies() == []
    browser_page.errors.clear()  # the refused sign-in is a 401 the console reports
