"""Page load with a year of data, measured in the browser with the Performance API.

The page marks ``mediastats:rendered`` when everything is on screen (totals, the five charts,
the live panel with its chart, the first breakdown table); the figure is that mark's time since
navigation start. Printed for the record (run with ``-s``). The page a user opens (the default
last 7 days, over a store holding a year) is held under 1 s; the whole year on screen (the
12-month range: 365 daily points, a year of distinct viewers) is reported and held under 1.5 s.
On a machine that other jobs saturate (load average above the core count) a missed budget skips
instead of failing.

The server is a ``mediastats serve`` subprocess, as a user runs it: the shared test server lives
in the test process, whose own work (Playwright, pytest) would be measured with it.
"""

from __future__ import annotations

import gzip
import os
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import orjson
import pytest

from tests.browser.conftest import Tab
from tests.browser.dashboard import sign_in
from tests.browser.yeardata import year_of_events
from tests.helpers import ServeProcess

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWS_PER_DAY = 300  # × 3 events × 365 days ≈ 330,000 events
BATCH = 60_000
BUDGETS_MS = {"last 7 days": 1000, "last 12 months": 1500}


@dataclass
class YearServer:
    url: str
    api_key: str
    ingest_key: str
    process: ServeProcess


@pytest.fixture(scope="module")
def year_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[YearServer]:
    with ServeProcess(tmp_path_factory.mktemp("year-data")) as serve, serve.admin() as admin:
        made = admin.post("/admin/v1/accounts", json={"name": "A year of demo data"}).json()
        yield YearServer(serve.url, made["api_key"], made["ingest_key"], serve)


def send_year(server: YearServer) -> tuple[int, list[int]]:
    """Sends the year; returns how many events went in and each view's start (ms)."""
    headers = {"Authorization": f"Bearer {server.ingest_key}", "Content-Type": "application/json",
               "Content-Encoding": "gzip"}
    sent = 0
    starts: list[int] = []
    pending: list[dict[str, object]] = []
    with httpx.Client(base_url=server.url, timeout=120, headers=headers) as c:
        for day in year_of_events(datetime.now(UTC), VIEWS_PER_DAY):
            starts += [int(e["ts"]) for e in day if e["type"] == "view_start"]
            pending += day
            if len(pending) >= BATCH:
                r = c.post("/v1/events", content=gzip.compress(orjson.dumps(pending), 1))
                assert r.status_code == 200 and r.json()["accepted"] == len(pending), r.text[:300]
                sent += len(pending)
                pending = []
        if pending:
            r = c.post("/v1/events", content=gzip.compress(orjson.dumps(pending), 1))
            assert r.status_code == 200 and r.json()["accepted"] == len(pending), r.text[:300]
            sent += len(pending)
    return sent, starts


def views_starting_between(starts: list[int], first: str, last: str) -> int:
    """The golden: views whose start falls on a UTC day from ``first`` to ``last`` (inclusive)."""
    return sum(first <= datetime.fromtimestamp(ms / 1000, UTC).date().isoformat() <= last for ms in starts)


def rendered_ms(page: object, url: str) -> float:
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_selector("body[data-rendered]", state="attached", timeout=30_000)  # type: ignore[attr-defined]
    mark = page.evaluate(  # type: ignore[attr-defined]
        "() => performance.getEntriesByName('mediastats:rendered').map(e => e.startTime)[0]")
    return float(mark)


def test_a_year_of_data_renders_in_under_a_second(year_server: YearServer, browser_page: Tab) -> None:
    started = time.monotonic()
    events, starts = send_year(year_server)
    ingest_s = time.monotonic() - started
    page = browser_page.page
    sign_in(page, year_server.url, year_server.api_key)
    figures = {}
    for name, path in (("last 7 days", "/?tz=UTC"), ("last 12 months", "/?range=12m&tz=UTC")):
        runs = [rendered_ms(page, year_server.url + path) for _ in range(5)]
        figures[name] = runs
        assert page.locator("#total-views").get_attribute("data-value") != "0"
    print(f"\n{events:,} events ingested in {ingest_s:.1f} s ({events / ingest_s:,.0f}/s)")
    for name, runs in figures.items():
        print(f"page load, {name}: {', '.join(f'{r:.0f}' for r in runs)} ms (median {statistics.median(runs):.0f} ms)")
    shown = page.locator("#total-views").get_attribute("data-value")
    first, last = page.get_by_label("From", exact=True).input_value(), page.get_by_label("To", exact=True).input_value()
    with httpx.Client(base_url=year_server.url, timeout=30) as c:
        answer = c.post("/v1/query", headers={"Authorization": f"Bearer {year_server.api_key}"},
                        json={"metrics": ["views"], "date_range": [first, last], "timezone": "UTC"}).json()
    # The 12 months end today, the data an hour ago: how much of the oldest day falls inside
    # depends on the hour the test runs, so the golden is counted from what was sent.
    expected = views_starting_between(starts, first, last)
    assert shown == str(answer["results"][0]["views"]) == str(expected) and expected > VIEWS_PER_DAY * 363
    missed = {name: runs for name, runs in figures.items() if statistics.median(runs) >= BUDGETS_MS[name]}
    load = os.getloadavg()[0]
    if missed and load > (os.cpu_count() or 1):
        # A timing says nothing on a machine other jobs are saturating; the figures are printed.
        pytest.skip(f"machine busy (load average {load:.1f} on {os.cpu_count()} cores): {missed}")
    assert not missed, (missed, BUDGETS_MS)
