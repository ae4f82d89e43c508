"""Browser fixtures: Debian chromium driven by Playwright against the shared test server.

Skipped cleanly when /usr/bin/chromium is missing (``make system-deps`` installs it); never
``playwright install``. Each test gets a fresh browser context (no cookies), UTC, en-US.
Screenshots go to ``test-output/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make system-deps installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # launch() gives every run a fresh temporary profile (user-data dir).
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


class Tab:
    """A page plus the JavaScript errors it raised (a test fails on any)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Tab]:
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="UTC", locale="en-US", accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    tab = Tab(context.new_page())
    yield tab
    context.close()
    assert not tab.errors, tab.errors


def screenshot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
