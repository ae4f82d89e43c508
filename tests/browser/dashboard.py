"""A crafted day of traffic counted by hand (CONTRACT §4), and helpers to drive the page.

Day 2026-09-14, UTC. Explicit player / os / device / platform / country, so the breakdowns do
not depend on user-agent enrichment.

    s1 news   alice  Chrome/Windows   10:00 start, 10:01 played 60 s, cdn 6 MB,
                                      10:02 end, played 60 s, rebuffered 2 s, cdn 4 MB
    s2 news   bob    Safari/iOS, p2p  10:30 start, 10:31 played 60 s, cdn 1 MB, p2p 3 MB
    s3 sport  alice  Chrome/Windows   12:10 start, 12:12 played 120 s, rebuffered 8 s, cdn 2 MB

Totals: 3 views, 2 unique viewers (alice, bob), 300,000 ms played, 10,000 ms rebuffered
(ratio 10,000 / 310,000), 13 MB from the CDN, 3 MB from peers.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Account

DAY = "2026-09-14"
RANGE = f"from={DAY}&to={DAY}&tz=UTC"

CHROME = {"player": "Chrome", "os": "Windows", "device_type": "Desktop", "platform": "Web", "country": "Germany"}
SAFARI = {"player": "Safari", "os": "iOS", "device_type": "Smartphone", "platform": "Web", "country": "France"}


def at(hhmm: str) -> str:
    return f"{DAY}T{hhmm}:00Z"


def crafted_events() -> list[dict[str, Any]]:
    return [
        {"ts": at("10:00"), "type": "view_start", "session_id": "s1", "channel_id": "news", "stream_id": "news-hd",
         "viewer_id": "alice", **CHROME},
        {"ts": at("10:01"), "type": "heartbeat", "session_id": "s1", "played_ms": 60_000, "bytes_cdn": 6_000_000},
        {"ts": at("10:02"), "type": "view_end", "session_id": "s1", "played_ms": 60_000, "rebuffer_ms": 2_000,
         "bytes_cdn": 4_000_000},
        {"ts": at("10:30"), "type": "view_start", "session_id": "s2", "channel_id": "news", "stream_id": "news-hd",
         "viewer_id": "bob", "delivery": "p2p", **SAFARI},
        {"ts": at("10:31"), "type": "heartbeat", "session_id": "s2", "played_ms": 60_000, "bytes_cdn": 1_000_000,
         "bytes_p2p": 3_000_000},
        {"ts": at("12:10"), "type": "view_start", "session_id": "s3", "channel_id": "sport", "stream_id": "sport-1",
         "viewer_id": "alice", **CHROME},
        {"ts": at("12:12"), "type": "heartbeat", "session_id": "s3", "played_ms": 120_000, "rebuffer_ms": 8_000,
         "bytes_cdn": 2_000_000},
    ]


def api_query(account: Account, body: dict[str, Any], key: str | None = None) -> dict[str, Any]:
    with httpx.Client(base_url=account.server.url, timeout=30) as c:
        r = c.post("/v1/query", json=body, headers={"Authorization": f"Bearer {key or account.api_key}"})
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    return result


def sign_in(page: Any, base_url: str, api_key: str, then: str = "/") -> None:
    """Sign in through the form, then open ``then`` and wait until its totals are in."""
    page.goto(base_url + "/")
    page.get_by_label("API key").fill(api_key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("#who:not([hidden])")
    if then != "/":
        page.goto(base_url + then)
    wait_for_overview(page)


def wait_for_overview(page: Any) -> None:
    page.wait_for_selector("#total-views[data-value]")
    page.wait_for_selector("#chart-views canvas")
    page.wait_for_selector("#breakdown-panel:not([aria-busy])")


def total(page: Any, card: str) -> str:
    return str(page.locator(f"#total-{card}").get_attribute("data-value"))


def chart_values(page: Any, card: str) -> list[list[str]]:
    """The chart's data table (opened), as [time, raw value per series] rows."""
    details = page.locator(f"#chart-{card} details.data")
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    rows = details.locator("tbody tr")
    rows.first.wait_for()  # the table is built on the toggle event
    out = []
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        out.append([cells.nth(0).inner_text()] + [
            str(cells.nth(j).get_attribute("data-value")) for j in range(1, cells.count())
        ])
    return out


def table_rows(page: Any) -> list[list[str]]:
    """The visible breakdown table's rows as text."""
    rows = page.locator("#breakdown-panel tbody tr")
    return [[c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()] for i in range(rows.count())]
