"""End-to-end fixtures: an HLS VOD from ffmpeg, a local test origin, and Debian chromium.

Skipped cleanly when /usr/bin/chromium or ffmpeg is missing (``make system-deps`` installs
both); never ``playwright install``. hls.js comes from ``vendor/`` (see its README), so nothing
is fetched at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.e2e.media import HlsVod, ffmpeg_available, make_hls_vod
from tests.e2e.origin import Origin, Shipper

T = TypeVar("T")
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="session")
def hls_vod(tmp_path_factory: pytest.TempPathFactory) -> HlsVod:
    if not ffmpeg_available():
        pytest.skip("ffmpeg is not installed (make system-deps installs it)")
    return make_hls_vod(tmp_path_factory.mktemp("hls"))


class BrowserThread:
    """Playwright's sync API on a thread of its own.

    One thread may run one sync Playwright at a time (it marks the thread's asyncio loop as
    running between calls), and tests/browser keeps one open for the whole session; so this
    module's chromium lives on its own thread and every browser call goes through :meth:`call`.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="e2e-playwright")
        self._playwright: Any = None
        self.browser: Any = None
        self.user_agent = ""

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        return self._pool.submit(fn, *args).result()

    def start(self) -> None:
        def launch() -> None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            # launch() gives the browser a fresh temporary profile (user-data dir).
            self.browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=ARGS, headless=True)
            self.user_agent = desktop_user_agent(self.browser)

        self.call(launch)

    def stop(self) -> None:
        def close() -> None:
            if self.browser is not None:
                self.browser.close()
            if self._playwright is not None:
                self._playwright.stop()

        try:
            self.call(close)
        finally:
            self._pool.shutdown()


def desktop_user_agent(browser: Any) -> str:
    """The user agent this chromium sends in a window: headless mode spells it ``HeadlessChrome``,
    which user-agent parsers rightly report as a headless bot, not as the Chrome a viewer runs."""
    context = browser.new_context()
    try:
        ua = str(context.new_page().evaluate("navigator.userAgent"))
    finally:
        context.close()
    return ua.replace("HeadlessChrome/", "Chrome/")


@pytest.fixture(scope="module")
def e2e_browser(hls_vod: HlsVod) -> Iterator[BrowserThread]:
    """Debian chromium with the issue's flags, on its own thread, for this module."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make system-deps installs it)")
    thread = BrowserThread()
    try:
        thread.start()
        yield thread
    finally:
        thread.stop()


@pytest.fixture
def in_browser(e2e_browser: BrowserThread) -> Callable[[Callable[[Any], T]], T]:
    """``in_browser(scenario)`` runs ``scenario(page)`` on the browser thread, in a fresh
    context (no cookies, no cache) with the desktop user agent, and returns its result."""

    def run(scenario: Callable[[Any], T]) -> T:
        def in_context() -> T:
            context = e2e_browser.browser.new_context(
                user_agent=e2e_browser.user_agent, viewport={"width": 800, "height": 600})
            context.set_default_timeout(30_000)
            try:
                return scenario(context.new_page())
            finally:
                context.close()

        return e2e_browser.call(in_context)

    return run


@pytest.fixture
def make_origin(hls_vod: HlsVod) -> Iterator[Callable[..., Origin]]:
    """``make_origin(shipper=None)`` → a started origin serving ``hls_vod`` under ``/media/``."""
    origins: list[Origin] = []

    def make(shipper: Shipper | None = None) -> Origin:
        origin = Origin(hls_vod.root, shipper).start()
        origins.append(origin)
        return origin

    yield make
    for origin in origins:
        origin.stop()
