"""The live counter moves when events arrive (real time: the page polls every ≤ 5 s)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import Tab
from tests.browser.dashboard import sign_in
from tests.conftest import Account

pytestmark = pytest.mark.browser


def live_value(page: object) -> str:
    return str(page.locator("#live-now").get_attribute("data-value"))  # type: ignore[attr-defined]


def arrive(account: Account, session: str, *watching: str) -> float:
    """A view of `session` starts; the views in `watching` go on (a heartbeat each, now)."""
    now = datetime.now(UTC)
    account.send([
        {"ts": (now - timedelta(seconds=2)).isoformat(), "type": "view_start", "session_id": session,
         "channel_id": "live"},
        {"ts": now.isoformat(), "type": "heartbeat", "session_id": session, "played_ms": 2000},
        *({"ts": now.isoformat(), "type": "heartbeat", "session_id": s, "played_ms": 2000}
          for s in watching),
    ])
    return time.monotonic()


def test_live_counter_moves_when_events_arrive(account: Account, browser_page: Tab) -> None:
    page = browser_page.page
    sign_in(page, account.server.url, account.api_key)
    page.wait_for_selector("#live-now[data-value]")
    assert live_value(page) == "0"
    sent = arrive(account, "first")
    page.wait_for_selector('#live-now[data-value="1"]', timeout=12_000)
    assert time.monotonic() - sent < 7.5  # one 5 s poll, plus the query
    # The first view goes on, so both overlap the minute of now even when a minute turned
    # between the two arrivals (a view is active only from its first to its last event).
    arrive(account, "second", "first")
    page.wait_for_selector('#live-now[data-value="2"]', timeout=12_000)
    # The chart of the last 30 minutes was refreshed with the figure.
    page.locator(".live details.data summary").click()
    # (the last two minutes: a minute may have turned since the second view's events)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.live details.data tbody tr')].slice(-2)
            .some((tr) => tr.children[1].dataset.value === '2')""",
        timeout=12_000,  # the chart refreshes on the next poll (≤ 5 s) after the counter's, plus its query
    )
