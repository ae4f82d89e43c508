"""The overview in a real browser: sign-in, the numbers of a crafted day (counted by hand and
checked against what the native API answers), filters, drill-down, sorting, CSV, shareable URLs,
screenshots (light and dark, desktop and phone width)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import Tab, screenshot
from tests.browser.dashboard import (
    DAY,
    RANGE,
    api_query,
    chart_values,
    crafted_events,
    sign_in,
    table_rows,
    total,
    wait_for_overview,
)
from tests.conftest import Account

pytestmark = pytest.mark.browser


@pytest.fixture
def crafted(account: Account) -> Account:
    account.send(crafted_events())
    return account


def test_sign_in_shows_the_hand_counted_totals(crafted: Account, browser_page: Tab) -> None:
    page = browser_page.page
    sign_in(page, crafted.server.url, crafted.api_key, f"/?{RANGE}")
    assert crafted.api_key not in page.url
    assert page.locator("#who-name").inner_text() == "test account"
    assert total(page, "views") == "3"
    assert total(page, "unique") == "2"  # alice and bob
    assert total(page, "viewing") == "300000"
    assert page.locator("#total-viewing").inner_text() == "5.0 min"
    assert page.locator("#total-rebuffering").inner_text() == "3.23 %"  # 10,000 / 310,000
    assert page.locator("#total-bandwidth").inner_text() == "13.00 MB CDN · 3.00 MB P2P"
    cookies = page.context.cookies()
    assert [(c["name"], c["httpOnly"], c["sameSite"]) for c in cookies] == [("mediastats_session", True, "Strict")]
    assert page.evaluate("document.cookie") == ""  # not readable from scripts


def test_charts_plot_what_the_api_answers(crafted: Account, browser_page: Tab) -> None:
    page = browser_page.page
    sign_in(page, crafted.server.url, crafted.api_key, f"/?{RANGE}")
    answer = api_query(crafted, {
        "metrics": ["views", "unique_viewers", "viewing_time_ms", "rebuffering_ratio", "bandwidth_cdn_bps",
                    "bandwidth_p2p_bps"],
        "date_range": [DAY, DAY], "interval": "hour", "timezone": "UTC",
    })["results"]
    views = chart_values(page, "views")
    assert [row[0] for row in views] == [f"{DAY} {h:02d}:00" for h in range(24)]
    assert [int(row[1]) for row in views] == [r["views"] for r in answer]
    by_hour = {row[0][-5:]: row[1:] for row in chart_values(page, "viewing")}
    assert by_hour["10:00"] == ["180000"] and by_hour["12:00"] == ["120000"] and by_hour["11:00"] == ["0"]
    rebuffering = {row[0][-5:]: float(row[1]) for row in chart_values(page, "rebuffering")}
    assert rebuffering["10:00"] == pytest.approx(2_000 / 182_000, abs=1e-4)
    assert rebuffering["12:00"] == pytest.approx(8_000 / 128_000, abs=1e-4)
    bandwidth = {row[0][-5:]: [float(v) for v in row[1:]] for row in chart_values(page, "bandwidth")}
    # 10:00–11:00: 11 MB from the CDN and 3 MB from peers, × 8 bits over 3,600 s.
    assert bandwidth["10:00"] == pytest.approx([11e6 * 8 / 3600, 3e6 * 8 / 3600], abs=1e-3)
    assert bandwidth["12:00"] == pytest.approx([2e6 * 8 / 3600, 0], abs=1e-3)
    assert [float(r[1]) for r in chart_values(page, "unique")] == [r["unique_viewers"] for r in answer]
    assert page.locator("#chart-views canvas").count() >= 1
    assert table_rows(page) == [
        ["news", "2", "2", "3.0 min", "1.10 %", "14.00 MB"],
        ["sport", "1", "1", "2.0 min", "6.25 %", "2.00 MB"],
    ]


def test_filters_and_drill_down_change_the_charts(crafted: Account, browser_page: Tab) -> None:
    page = browser_page.page
    sign_in(page, crafted.server.url, crafted.api_key, f"/?{RANGE}")
    page.get_by_role("tab", name="Player").click()
    page.wait_for_selector("#breakdown-panel tbody tr")
    assert table_rows(page) == [
        ["Chrome", "2", "1", "4.0 min", "4.00 %", "12.00 MB"],  # 10,000 / 250,000
        ["Safari", "1", "1", "1.0 min", "0.00 %", "4.00 MB"],
    ]
    page.get_by_role("link", name="Safari").click()
    page.wait_for_url("**f=player%3ASafari**")
    wait_for_overview(page)
    assert total(page, "views") == "1" and total(page, "viewing") == "60000"
    assert {r[0][-5:]: r[1] for r in chart_values(page, "views")}["10:00"] == "1"
    assert page.get_by_role("list", name="Active filters").inner_text().startswith("Player: Safari")

    # The URL keeps the filter: opened anew (shared), it shows the same view.
    shared = page.url
    other = page.context.new_page()
    other.goto(shared)
    wait_for_overview(other)
    assert total(other, "views") == "1"
    assert other.locator('[role="tab"][aria-selected="true"]').inner_text() == "Player"
    other.close()

    page.get_by_role("button", name="Remove filter Player Safari").click()
    page.wait_for_function("() => !location.search.includes('f=')")
    wait_for_overview(page)
    assert total(page, "views") == "3"

    page.get_by_role("tab", name="Channel").click()
    page.wait_for_selector("#breakdown-panel tbody tr")
    page.get_by_role("link", name="sport").click()
    page.wait_for_url("**channel=sport**")
    wait_for_overview(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Channel sport"
    assert total(page, "views") == "1" and total(page, "viewing") == "120000"
    assert {r[0][-5:]: r[1] for r in chart_values(page, "views")} == {
        f"{h:02d}:00": ("1" if h == 12 else "0") for h in range(24)
    }
    assert page.get_by_role("tab", name="Channel").count() == 0
    assert table_rows(page) == [["sport-1", "1", "1", "2.0 min", "6.25 %", "2.00 MB"]]
    screenshot(page, "channel")
    page.go_back()
    wait_for_overview(page)
    assert total(page, "views") == "3"


def test_tables_sort_and_download_as_csv(crafted: Account, browser_page: Tab, tmp_path: Path) -> None:
    page = browser_page.page
    sign_in(page, crafted.server.url, crafted.api_key, f"/?{RANGE}")
    header = "channel_id,views,unique_viewers,viewing_time_ms,rebuffering_ratio,bytes_total"
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download CSV").click()
    download = caught.value
    assert download.suggested_filename == f"mediastats-channel-{DAY}-{DAY}.csv"
    target = tmp_path / "channels.csv"
    download.save_as(target)
    # The API's values in base units (ratios rounded to 4 places by the API).
    assert target.read_bytes().decode() == (
        f"{header}\r\nnews,2,2,180000,0.011,14000000\r\nsport,1,1,120000,0.0625,2000000\r\n"
    )

    page.get_by_role("button", name="Rebuffering").click()
    assert page.locator('th[data-key="rebuffering_ratio"]').get_attribute("aria-sort") == "descending"
    assert [r[0] for r in table_rows(page)] == ["sport", "news"]
    page.get_by_role("button", name="Rebuffering").press("Enter")  # keyboard: toggles the direction
    assert page.locator('th[data-key="rebuffering_ratio"]').get_attribute("aria-sort") == "ascending"
    assert [r[0] for r in table_rows(page)] == ["news", "sport"]
    assert "sort=rebuffering_ratio%3Aasc" in page.url
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download CSV").click()
    caught.value.save_as(target)
    assert target.read_text().splitlines()[1].startswith("news,")


def test_keyboard_moves_between_breakdown_tabs(crafted: Account, browser_page: Tab) -> None:
    page = browser_page.page
    sign_in(page, crafted.server.url, crafted.api_key, f"/?{RANGE}")
    page.get_by_role("tab", name="Channel").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-stream"
    page.wait_for_selector("#breakdown-panel tbody tr")
    assert table_rows(page) == [
        ["news-hd", "2", "2", "3.0 min", "1.10 %", "14.00 MB"],
        ["sport-1", "1", "1", "2.0 min", "6.25 %", "2.00 MB"],
    ]
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.id") == "tab-country"
    page.wait_for_selector("#breakdown-panel tbody tr")
    assert [r[0] for r in table_rows(page)] == ["Germany", "France"]
    # Every control of the toolbar has a label.
    for name in ("Date range", "From", "To", "Timezone", "Interval"):
        assert page.get_by_label(name, exact=True).count() == 1


def test_range_and_timezone_controls_requery(crafted: Account, browser_page: Tab) -> None:
    page = browser_page.page
    sign_in(page, crafted.server.url, crafted.api_key, f"/?{RANGE}")
    page.get_by_label("Timezone").select_option("Asia/Tokyo")  # UTC+9: 10:00Z is 19:00 on the 14th
    page.wait_for_url("**tz=Asia%2FTokyo**")
    wait_for_overview(page)
    hours = {r[0]: r[1] for r in chart_values(page, "views")}
    assert hours[f"{DAY} 19:00"] == "2" and hours[f"{DAY} 21:00"] == "1"
    page.get_by_label("From", exact=True).fill("2026-09-13")
    page.wait_for_url("**from=2026-09-13**")
    wait_for_overview(page)
    days = chart_values(page, "views")  # two days in Tokyo: hourly still (≤ 3 days)
    assert len(days) == 48 and total(page, "views") == "3"
    page.get_by_label("Interval").select_option("day")
    page.wait_for_url("**interval=day**")
    wait_for_overview(page)
    assert [r[1] for r in chart_values(page, "views")] == ["0", "3"]


def test_screenshots_light_dark_desktop_and_phone(crafted: Account, browser_page: Tab) -> None:
    page = browser_page.page
    sign_in(page, crafted.server.url, crafted.api_key, f"/?{RANGE}")
    page.wait_for_selector("#live-now[data-value]")
    screenshot(page, "overview")
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(300)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(15, 18, 23)"
    screenshot(page, "overview-dark")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    screenshot(page, "mobile-dark")
    page.emulate_media(color_scheme="light")
    page.wait_for_timeout(300)
    screenshot(page, "mobile")


CONTRAST = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const bg = (el) => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
    if (!c.endsWith(', 0)') && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
  const worst = [];
  for (const el of document.querySelectorAll('h1, h2, p, a, button, label, th, td, span, small, summary')) {
    if (!el.offsetParent || !el.textContent.trim() || el.closest('.uplot')) continue;
    const r = ratio(getComputedStyle(el).color, bg(el));
    if (r < 4.5) worst.push([el.tagName, el.textContent.trim().slice(0, 30), Math.round(r * 100) / 100]);
  }
  return worst;
}"""

NAMELESS = """() => [...document.querySelectorAll('button, select, input, a[href], [role="tab"]')]
  .filter((el) => el.offsetParent !== null)
  .filter((el) => !(el.getAttribute('aria-label') || (el.labels && el.labels.length) || el.textContent.trim()))
  .map((el) => el.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_and_control_names(crafted: Account, browser_page: Tab, scheme: str) -> None:
    page = browser_page.page
    page.emulate_media(color_scheme=scheme)
    sign_in(page, crafted.server.url, crafted.api_key, f"/?{RANGE}")
    assert page.evaluate(CONTRAST) == []  # WCAG AA: every text at least 4.5:1 on its background
    assert page.evaluate(NAMELESS) == []
    # Keyboard only: the first Tab reaches the skip link, which lands on the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
