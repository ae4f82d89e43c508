"""The traffic simulator: deterministic for a seed, accepted by ingest as it is, and realistic
enough to exercise every vendor vocabulary."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from itertools import pairwise
from typing import Any, get_args

import iptocc
import pytest

from mediastats.ingest.enrich import Enricher
from mediastats.model import vocab
from mediastats.model.event import EventType
from mediastats.simulate import parse_duration, simulate_async
from mediastats.simulate_data import CLIENTS, PLACES
from mediastats.simulate_sessions import Simulator
from mediastats.simulate_traffic import HOUR_MS, LiveAudience, end_early, history
from tests.conftest import Account, Server

DAY_MS = 24 * HOUR_MS
START = 1_790_000_000_000 // HOUR_MS * HOUR_MS  # a fixed past hour (2026-09-21)


def events_of(seed: int, hours: int, **kw: Any) -> list[dict[str, Any]]:
    return [e for batch, _ in history(Simulator(seed), START, START + hours * HOUR_MS, **kw) for e in batch]


def test_same_seed_same_events_other_seed_other_events() -> None:
    first = events_of(7, 3, heartbeat_s=10)
    assert first == events_of(7, 3, heartbeat_s=10)
    assert first != events_of(8, 3, heartbeat_s=10)
    # A view is a function of the seed and its key, whatever was drawn before.
    sim = Simulator(7)
    sim.session(START, sim.rng("other"))
    assert Simulator(7).session(START, Simulator(7).rng("k")) == sim.session(START, sim.rng("k"))


def test_history_of_an_interval_is_the_same_whole_or_in_parts() -> None:
    """A demo restart backfills only the gap: the two parts hold the views of the whole once."""
    sim = Simulator(3)
    whole = {e["event_id"] for b, _ in history(sim, START, START + 4 * HOUR_MS, heartbeat_s=60) for e in b
             if e["type"] == "view_start"}
    middle = START + 2 * HOUR_MS + 1234
    parts = [e["event_id"] for a, b in ((START, middle), (middle, START + 4 * HOUR_MS))
             for batch, _ in history(sim, a, b, heartbeat_s=60) for e in batch if e["type"] == "view_start"]
    assert len(parts) == len(set(parts)) and set(parts) == whole


def test_views_are_well_formed() -> None:
    events = events_of(11, 6, heartbeat_s=10)
    by_session: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        if "session_id" in e:
            by_session.setdefault(e["session_id"], []).append(e)
    assert len(by_session) > 100
    for sid, view in by_session.items():
        assert view[0]["type"] == "view_start", sid
        assert [e["ts"] for e in view] == sorted(e["ts"] for e in view)
        assert all(e["type"] != "view_start" for e in view[1:])
        beats = [e for e in view if e["type"] == "heartbeat"]
        assert all(b2["ts"] - b1["ts"] == 10_000 for b1, b2 in pairwise(beats))
        for e in view:
            assert all(e.get(k, 0) >= 0 for k in ("played_ms", "rebuffer_ms", "bytes_cdn", "bytes_p2p"))
            if e["type"] in ("heartbeat", "view_end"):
                assert e["played_ms"] + e["rebuffer_ms"] <= 10_000
        if view[0]["delivery"] != "p2p":
            assert all(e.get("bytes_p2p", 0) == 0 for e in view)
    ids = [e["event_id"] for e in events]
    assert len(ids) == len(set(ids))


def test_every_kind_of_event_and_the_ad_funnel_narrows() -> None:
    events = events_of(5, 48, heartbeat_s=60)
    kinds = Counter(e["type"] for e in events)
    assert set(kinds) == set(get_args(EventType))
    funnel = [kinds[k] for k in ("ad_opportunity", "ad_request", "ad_response", "ad_asset", "ad_impression")]
    assert funnel == sorted(funnel, reverse=True) and funnel[-1] > 0
    servers = {e["server_id"] for e in events if e["type"] == "server_sync"}
    minutes = 48 * 60
    assert kinds["server_sync"] == len(servers) * minutes  # one a minute per server
    starts = [e for e in events if e["type"] == "view_start"]
    assert {e["content_type"] for e in starts} == {"live", "vod"}
    assert {e["delivery"] for e in starts} == {"cdn", "p2p", "not_compatible"}
    assert len({e["channel_id"] for e in starts}) >= 4 and len({e["stream_uri"] for e in starts}) >= 8
    assert {e["protocol"] for e in starts} >= {"HLS", "DASH", "RTMP"}
    assert all(e["stream_uri"].startswith("https://cdn.demo-streaming.example.net/") for e in starts)
    assert len({e["bitrate_kbps"] for e in events if "bitrate_kbps" in e}) >= 5
    # Prime time: more views start at 20:00 UTC than at 04:00.
    by_hour = Counter((e["ts"] // HOUR_MS) % 24 for e in starts)
    assert by_hour[20] > 3 * by_hour[4]


def test_ips_are_in_the_countries_they_stand_for() -> None:
    sim = Simulator(1)
    expected = {iso for iso, _, _ in PLACES}
    seen = set()
    for index in range(3000):
        viewer = sim.viewer(index)
        assert iptocc.country_code(viewer.ip) == viewer.country, viewer.ip
        seen.add(viewer.country)
    assert seen == expected


def test_the_mix_covers_the_vendor_vocabularies() -> None:
    starts = [e for e in events_of(9, 72, heartbeat_s=3600, sessions_per_day=2500) if e["type"] == "view_start"]
    assert {e["user_agent"] for e in starts} == {c.user_agent for c in CLIENTS}
    values: dict[str, set[str]] = {}
    with Enricher() as enricher:
        for e in starts:
            explicit = {k: e.get(k) for k in vocab.CANONICAL_COLUMNS}
            row = enricher.enrich(user_agent=e["user_agent"], ip=e["ip"], protocol=e["protocol"], explicit=explicit)
            for column, value in row.items():
                values.setdefault(column, set()).add(value)
    assert values["wms_player"] >= {"Chrome", "Safari", "Firefox", "MSIE", "Edge", "Opera", "Flash", "VLC", "Roku",
                                    "Unknown"}
    assert values["wms_device"] >= {"iPhone", "iPad", "iPod", "SmartTV", "Windows", "Macintosh", "Linux", "Android",
                                    "ChromeOS", "Unknown"}
    assert values["s73_os"] == {"WINDOWS", "MAC", "LINUX", "IOS", "ANDROID", "TVOS", "TIZEN", "WEBOS", "ROKU",
                                "CHROMEOS", "UNKNOWN"}
    assert values["s73_platform"] == {"CHROME", "FIREFOX", "SAFARI", "EDGE", "OPERA", "ANDROID", "IOS", "SMART_TV",
                                      "UNKNOWN"}
    assert values["s73_connection"] == {"ETHERNET", "WIFI", "CELLULAR", "UNKNOWN"}
    assert values["amagi_device_type"] == {"Desktop", "Media Player", "Mobile Phone", "Roku", "Smart TV", "TV",
                                           "Tablet", "Others"}
    assert values["sr_platform"] == set(vocab.SR_PLATFORMS)
    assert len(values["country"]) == len(PLACES)


def post_all(account: Account, events: list[dict[str, Any]]) -> int:
    accepted = 0
    for i in range(0, len(events), 1000):
        body = account.send(events[i:i + 1000])  # asserts nothing was rejected
        accepted += body["accepted"]
    return accepted


def test_ingest_accepts_every_event_of_history(account: Account) -> None:
    events = events_of(21, 1, heartbeat_s=10)
    assert len(events) > 1000
    assert post_all(account, events) == len(events)


def test_ingest_accepts_every_event_of_a_live_audience(account: Account) -> None:
    now_ms = int(time.time() * 1000)
    audience = LiveAudience(Simulator(4), 30, now_ms - 180_000, run="test")
    events = audience.due(now_ms) + audience.stop(now_ms)
    assert {e["type"] for e in events} >= {"view_start", "heartbeat", "server_sync", "view_end"}
    assert post_all(account, events) == len(events)
    assert audience.sessions_started >= 30


def test_end_early_keeps_the_view_whole() -> None:
    sim = Simulator(2)
    view = sim.session(START, sim.rng("long"), heartbeat_s=10)
    while len(view) < 20:
        view = sim.session(START, sim.rng("long", len(view)), heartbeat_s=10)
    cut = end_early(view, 7)
    assert len(cut) == 7 and cut[0]["type"] == "view_start" and cut[-1]["type"] == "view_end"
    assert len({e["event_id"] for e in cut}) == 7


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("10m", 600), ("1h30m", 5400), ("2d", 172800),
                                               ("45", 45), ("1.5h", 5400), ("500ms", 0.5)])
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "ten minutes", "10x", "-5m", "0s", "m"])
def test_parse_duration_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_simulate_posts_live_traffic_over_http(server: Server, account: Account) -> None:
    # Views start spread over one heartbeat interval: 2 s here, so all eight are watching by the end.
    report = asyncio.run(simulate_async(server.url, account.ingest_key, viewers=8, duration_s=3, seed=99,
                                        heartbeat_s=2, tick_s=0.5))
    assert report.rejected == 0 and report.failed_requests == 0 and report.lost == 0
    assert report.accepted == report.sent > 8  # view_start of each viewer, syncs, view_end at the stop
    rows = server.services.storage.query(
        "SELECT type, count() FROM {db}.events WHERE account_id = {a:String} GROUP BY type", {"a": account.id}
    ).rows
    counts = dict(rows)
    assert counts["view_start"] >= 8 and counts["heartbeat"] >= 1
    assert counts["view_end"] == counts["view_start"]  # each view ended, on its own or at the stop
