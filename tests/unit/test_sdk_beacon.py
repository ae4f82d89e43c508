"""The browser beacon's behaviour, run under node with a fake <video>, clock, timers and network."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

SDK = Path(__file__).resolve().parents[2] / "src/mediastats/dashboard/static/sdk/mediastats.js"

# The scenario, in ms of a fake clock: play@0, playing@1500, heartbeat tick@11500, stall@12000,
# playing@14000, seek 15000–15500 (inside the buffer: no 'playing'), pause@20000, page hidden
# @21000. The first POST fails (network error) and is retried; the rest succeed.
HARNESS = r"""
const sdk = await import(process.argv.at(-1));
let clock = 0, wall = 1_700_000_000_000;
Object.defineProperty(performance, 'now', { value: () => clock, configurable: true });
Date.now = () => wall + clock;
const intervals = new Map(), timeouts = new Map(); let nextId = 1;
globalThis.setInterval = (fn) => { intervals.set(nextId, fn); return nextId++; };
globalThis.clearInterval = (id) => intervals.delete(id);
globalThis.setTimeout = (fn) => { timeouts.set(nextId, fn); return nextId++; };
const win = new EventTarget();
globalThis.addEventListener = win.addEventListener.bind(win);
globalThis.removeEventListener = win.removeEventListener.bind(win);
globalThis.document = { visibilityState: 'visible' };
const posts = [], beacons = [];
let failNext = 1;
const stored = new Map([['mediastats_viewer', 'viewer-7']]);
globalThis.localStorage = { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => stored.set(k, v) };
Object.defineProperty(globalThis, 'navigator', { configurable: true, value: {
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36',
  sendBeacon: (url, body) => { beacons.push({ url, events: JSON.parse(body) }); return true; } } });
globalThis.fetch = (url, init) => {
  posts.push({ url, auth: init.headers.Authorization, type: init.headers['Content-Type'],
               events: JSON.parse(init.body) });
  if (failNext-- > 0) return Promise.reject(new TypeError('network down'));
  return Promise.resolve({ ok: true, status: 200 });
};
class FakeVideo extends EventTarget {
  paused = true; seeking = false; readyState = 4; duration = 60; currentTime = 0; dropped = 0;
  currentSrc = 'https://cdn.example/movie.mp4';
  buffered = { length: 1, start: () => 0, end: () => this.currentTime + 8 };
  getVideoPlaybackQuality() { return { droppedVideoFrames: this.dropped }; }
  fire(name) { this.dispatchEvent(new Event(name)); }
}
const settle = () => new Promise((resolve) => setImmediate(resolve));
const video = new FakeVideo();
const t = sdk.track(video, { endpoint: 'https://stats.test/', ingestKey: 'k 1', heartbeatMs: 10000,
                             sessionAttributes: { channel_id: 'news', content_id: 'ep-12' } });
video.fire('play'); await settle();
clock = 1500; video.paused = false; video.fire('playing');
clock = 11500; video.currentTime = 10; video.dropped = 3;
for (const fn of intervals.values()) fn();
await settle();
for (const [id, fn] of timeouts) { timeouts.delete(id); fn(); }  // the retry
await settle();
clock = 12000; video.fire('waiting');
clock = 14000; video.fire('playing');
clock = 15000; video.seeking = true; video.fire('seeking');
clock = 15500; video.seeking = false; video.fire('seeked');
clock = 20000; video.paused = true; video.dropped = 5; video.fire('pause'); await settle();
const beatsAfterPause = intervals.size;
clock = 21000; win.dispatchEvent(new Event('pagehide')); await settle();
const sessionId = t.sessionId;
t.stop();
console.log(JSON.stringify({ posts, beacons, beatsAfterPause, sessionId }));
"""


@pytest.fixture(scope="module")
def run() -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run(
        [node, "--input-type=module", "-", SDK.as_uri()],
        input=HARNESS.encode(),
        capture_output=True,
        check=True,
        timeout=60,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def delivered(run: dict[str, Any]) -> list[dict[str, Any]]:
    """What the server keeps: every event posted, deduplicated by event_id, in order."""
    seen: dict[str, dict[str, Any]] = {}
    for request in run["posts"] + run["beacons"]:
        for event in request["events"]:
            seen.setdefault(event["event_id"], event)
    return sorted(seen.values(), key=lambda event: (event["ts"], event["event_id"]))


def test_views_heartbeats_and_end(run: dict[str, Any]) -> None:
    events = delivered(run)
    assert [e["type"] for e in events] == ["view_start", "heartbeat", "heartbeat", "view_end"]
    assert {e["session_id"] for e in events} == {run["sessionId"]}
    # startup 0–1500 is not played; 1500–11500 = 10000; then 11500–12000 + 14000–15000 +
    # 15500–20000 = 6000 played and the stall 12000–14000 = 2000; the seek is neither.
    assert [e["played_ms"] for e in events] == [0, 10000, 6000, 0]
    assert [e["rebuffer_ms"] for e in events] == [0, 0, 2000, 0]
    assert [e["dropped_frames"] for e in events] == [0, 3, 2, 0]
    assert events[1]["buffer_ms"] == 8000
    assert [e["ts"] - 1_700_000_000_000 for e in events] == [0, 11500, 20000, 21000]


def test_session_attributes_ride_on_view_start(run: dict[str, Any]) -> None:
    start = delivered(run)[0]
    assert start["channel_id"] == "news" and start["content_id"] == "ep-12"
    assert start["content_type"] == "vod"
    assert start["stream_uri"] == "https://cdn.example/movie.mp4"


def test_view_start_names_the_client_and_a_lasting_viewer(run: dict[str, Any]) -> None:
    # /v1/events takes neither from the request: without them enrichment has no device and every
    # viewer of the account is one unique viewer.
    start, *rest = delivered(run)
    assert start["user_agent"] == "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36"
    assert start["viewer_id"] == "viewer-7"  # the id kept in localStorage
    assert all("user_agent" not in e and "viewer_id" not in e for e in rest)  # session attributes: once


def test_posts_use_bearer_json_and_retry_with_the_same_ids(run: dict[str, Any]) -> None:
    posts = run["posts"]
    assert {p["url"] for p in posts} == {"https://stats.test/v1/events"}
    assert {p["auth"] for p in posts} == {"Bearer k 1"}
    assert {p["type"] for p in posts} == {"application/json"}
    first, retry = posts[0]["events"], posts[1]["events"]
    assert [e["event_id"] for e in retry[: len(first)]] == [e["event_id"] for e in first]
    ids = [e["event_id"] for e in delivered(run)]
    assert len(ids) == len(set(ids))


def test_page_hide_uses_send_beacon_with_the_key_in_the_url(run: dict[str, Any]) -> None:
    [beacon] = run["beacons"]
    assert beacon["url"] == "https://stats.test/v1/events?key=k%201"
    assert beacon["events"][-1]["type"] == "view_end"


def test_paused_views_stop_heartbeating(run: dict[str, Any]) -> None:
    assert run["beatsAfterPause"] == 0
