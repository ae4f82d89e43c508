"""Real players feed mediastats, end to end (issue 10).

ffmpeg makes a 20 s, two-rendition H.264 HLS VOD; a local origin serves it with a test page;
hls.js (vendored from npm, see vendor/README.md) plays it muted in Debian chromium through
Playwright; then ``POST /v1/query`` must report what the page itself measured:

- the beacon (``/sdk/mediastats.js``): 1 view, viewing time within 10 % of the measured
  playback, the rendition's bitrate, player/browser Chrome and OS Linux from the user agent;
- hls.js's CMCD v2 event reports posted straight to ``/v1/cmcd/{ingest_key}``: the same;
- hls.js's CMCD v1 query data, forwarded by the origin like a log shipper: the view, bitrate,
  Chrome/Linux, and no viewing time (v1 has no play state, docs/players.md).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import Account, Server
from tests.e2e.media import HlsVod
from tests.e2e.origin import Shipper
from tests.e2e.pages import CONTENT_ID, player_page

pytestmark = pytest.mark.browser

PLAY_MS = 12_000
ATTRIBUTES = ["bitrate_kbps", "player", "browser", "os", "wms_player", "protocol", "content_type", "content_id"]
FROM_CHROMIUM = {"player": "Chrome", "browser": "Chrome", "os": "Linux", "wms_player": "Chrome",
                 "protocol": "HLS", "content_id": CONTENT_ID}


def play(page: Any, url: str, played_ms: int = PLAY_MS) -> None:
    page.goto(url)
    page.wait_for_function(f"window.measure && window.measure.playedMs >= {played_ms}", timeout=45_000)


def finish(page: Any) -> dict[str, Any]:
    """Pause; the page's own figures: played wall time, media time, renditions, hls.js errors."""
    measured: dict[str, Any] = page.evaluate("window.finish()")
    print("e2e measured:", {k: v for k, v in measured.items() if k != "errors"}, measured["errors"][:5])
    assert not [e for e in measured["errors"] if "fatal" in e], measured["errors"]
    media_ms = (measured["lastTime"] - measured["firstTime"]) * 1000
    assert measured["playedMs"] == pytest.approx(media_ms, rel=0.1), measured  # the page's clock is sane
    return measured


def report(account: Account, since: datetime, timeout_s: float = 15) -> tuple[dict[str, Any], dict[str, Any]]:
    """The view's summary and attributes once mediastats' answer stops changing."""
    window = [since.strftime("%Y-%m-%dT%H:%M:%SZ"),
              (datetime.now(UTC) + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")]
    bodies = [{"metrics": ["views", "unique_viewers", "viewing_time_ms"], "date_range": window},
              {"metrics": ["views"], "dimensions": ATTRIBUTES, "date_range": window}]
    previous: list[Any] | None = None
    deadline = time.monotonic() + timeout_s
    with account.server.client(headers={"Authorization": f"Bearer {account.api_key}"}) as c:
        while True:
            answers = []
            for body in bodies:
                r = c.post("/v1/query", json=body)
                assert r.status_code == 200, r.text
                answers.append(r.json()["results"])
            if (answers == previous and answers[1]) or time.monotonic() > deadline:
                break
            previous = answers
            time.sleep(0.5)
    summary, attributes = answers
    print("e2e report:", answers)  # shown with -s or on failure
    assert len(summary) == 1 and len(attributes) == 1, answers
    return summary[0], attributes[0]


def test_beacon_reports_view_time_bitrate_and_client(
    server: Server, account: Account, in_browser: Any, make_origin: Any, hls_vod: HlsVod
) -> None:
    origin = make_origin()
    url = origin.page("beacon.html", player_page("beacon", server.url, account.ingest_key))
    since = datetime.now(UTC) - timedelta(minutes=1)
    posts: list[int] = []

    def scenario(page: Any) -> dict[str, Any]:
        def seen(response: Any) -> None:
            if "/v1/events" in response.url and response.request.method == "POST":
                posts.append(response.status)

        page.on("response", seen)
        play(page, url)
        measured = finish(page)
        page.goto("about:blank")  # pagehide: the beacon sends view_end with navigator.sendBeacon
        return measured

    measured = in_browser(scenario)
    summary, attributes = report(account, since)
    assert posts and set(posts) == {200}, posts
    assert summary["views"] == 1 and summary["unique_viewers"] == 1, summary
    assert summary["viewing_time_ms"] == pytest.approx(measured["playedMs"], rel=0.1), (summary, measured)
    assert attributes["bitrate_kbps"] in hls_vod.bitrates_kbps
    assert attributes["bitrate_kbps"] == measured["currentKbps"], (attributes, measured)
    assert {k: attributes[k] for k in FROM_CHROMIUM} == FROM_CHROMIUM
    assert attributes["content_type"] == "vod"  # view_start knows the duration
    assert attributes["views"] == 1


def test_hlsjs_cmcd_v2_event_reports(
    server: Server, account: Account, in_browser: Any, make_origin: Any, hls_vod: HlsVod
) -> None:
    origin = make_origin()
    url = origin.page("cmcd.html", player_page("cmcd_v2", server.url, account.ingest_key))
    since = datetime.now(UTC) - timedelta(minutes=1)
    answers: list[tuple[int, str | None]] = []

    def scenario(page: Any) -> dict[str, Any]:
        def seen(response: Any) -> None:
            if "/v1/cmcd/" in response.url and response.request.method == "POST":
                answers.append((response.status, response.headers.get("x-cmcd-malformed")))

        page.on("response", seen)
        play(page, url)
        pause_report = page.expect_response(
            lambda r: "/v1/cmcd/" in r.url and "sta=a" in (r.request.post_data or ""))
        with pause_report as paused:
            measured = finish(page)
        assert paused.value.status == 204
        page.evaluate("window.hls.destroy()")  # flushes what hls.js still holds
        return measured

    measured = in_browser(scenario)
    summary, attributes = report(account, since)
    assert answers and set(answers) == {(204, "0")}, answers
    assert measured["hlsVersion"] == "1.7.4"
    assert summary["views"] == 1 and summary["unique_viewers"] == 1, summary
    assert summary["viewing_time_ms"] == pytest.approx(measured["playedMs"], rel=0.1), (summary, measured)
    assert attributes["bitrate_kbps"] in hls_vod.bitrates_kbps
    assert attributes["bitrate_kbps"] == measured["switchesKbps"][-1], (attributes, measured)
    assert {k: attributes[k] for k in FROM_CHROMIUM} == FROM_CHROMIUM
    # content_type: hls.js sends st=v only once a media playlist is loaded, after its first
    # reports; the session keeps its first row's default (live) — see docs/players.md.


def test_hlsjs_cmcd_v1_forwarded_by_the_origin(
    server: Server, account: Account, in_browser: Any, make_origin: Any, hls_vod: HlsVod
) -> None:
    shipper = Shipper(server.url, account.ingest_key)
    origin = make_origin(shipper)
    url = origin.page("cmcd-v1.html", player_page("cmcd_v1", server.url, account.ingest_key))
    since = datetime.now(UTC) - timedelta(minutes=1)

    def scenario(page: Any) -> None:
        play(page, url, played_ms=4_000)
        finish(page)
        page.goto("about:blank")

    in_browser(scenario)
    shipper.drain()
    segments = [line for line in origin.media_requests() if line.path.endswith(".ts")]
    assert segments and all(line.cmcd for line in segments)
    assert all("Chrome/" in line.user_agent and "Headless" not in line.user_agent for line in segments)
    last_rendition = segments[-1].path.split("/")[2]  # /media/<rendition>/segNNN.ts
    expected_kbps = {r.name: r.kbps for r in hls_vod.renditions}[last_rendition]
    assert shipper.answers and set(shipper.answers) == {204}

    summary, attributes = report(account, since)
    assert summary == {"views": 1, "unique_viewers": 1, "viewing_time_ms": 0}  # v1: no play state
    assert attributes["bitrate_kbps"] == expected_kbps, (attributes, [s.path for s in segments])
    assert {k: attributes[k] for k in FROM_CHROMIUM} == FROM_CHROMIUM
