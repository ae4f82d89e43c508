"""Seeded random event sets for the reference tests: views of random length that cross bucket,
midnight and DST boundaries, with gaps between them, resent and repeated events, attributes sent
once on ``view_start``, delivery and bitrate changing mid-view, and ad pods.

Everything is a pure function of the seed, so a failure reproduces.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

CHANNELS = ("ch-news", "ch-sport", None)  # None: the default channel
SERVERS = ("srv-1", "srv-2", "srv-3")
# Explicit os spellings: canonical, vendor-cased, unknown to every vocabulary, absent.
OSES = ("iOS", "IOS", "android", "Windows", "BeOS", None)
CONNECTIONS = ("WIFI", "cellular", None)
DELIVERIES = ("cdn", "p2p", "not_compatible", None)
BITRATES = (800, 1500, 3000)
VIEWER_IDS = ("viewer-a", "viewer-b", "viewer-c")
IPS = ("198.51.100.7", "198.51.100.8")
# User agents that say nothing, so the os columns come only from explicit values.
AGENTS = ("mediastats-reference/1.0", "mediastats-reference/2.0")
AD_FUNNEL = ("ad_opportunity", "ad_request", "ad_response", "ad_asset", "ad_impression")


@dataclass(frozen=True)
class Batches:
    """What a test sends: the first batch (with repeats inside it), then a resend batch."""

    first: list[dict[str, Any]]
    resent: list[dict[str, Any]]

    @property
    def all(self) -> list[dict[str, Any]]:
        return [*self.first, *self.resent]


def _ts(rng: random.Random, ms: int) -> str | int:
    """Either spelling CONTRACT §3 allows: epoch ms or RFC 3339 (with milliseconds)."""
    if rng.random() < 0.5:
        return ms
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def view_events(rng: random.Random, session_id: str, start_ms: int, length_ms: int) -> list[dict[str, Any]]:
    """One view: view_start with its attributes, heartbeats with measures and samples, maybe an
    ad pod, maybe a view_end."""
    start: dict[str, Any] = {"type": "view_start", "session_id": session_id, "server_id": rng.choice(SERVERS),
                             "bitrate_kbps": rng.choice(BITRATES)}
    if rng.random() < 0.6:
        start["viewer_id"] = rng.choice(VIEWER_IDS)
    start["ip"], start["user_agent"] = rng.choice(IPS), rng.choice(AGENTS)
    for name, choices in (("channel_id", CHANNELS), ("os", OSES), ("connection_type", CONNECTIONS),
                          ("delivery", DELIVERIES)):
        value = rng.choice(choices)
        if value is not None:
            start[name] = value
    out = [{"ts": start_ms, **start}]
    at = start_ms
    end_ms = start_ms + length_ms
    while True:
        at += rng.randint(3_000, 95_000)
        if at > end_ms:
            break
        beat: dict[str, Any] = {"ts": at, "type": "heartbeat", "session_id": session_id,
                                "played_ms": rng.randint(0, 60_000), "bytes_cdn": rng.randint(0, 5_000_000),
                                "bytes_p2p": rng.choice((0, rng.randint(0, 3_000_000)))}
        if rng.random() < 0.3:
            beat["rebuffer_ms"] = rng.randint(0, 4_000)
        for name, low, high in (("buffer_ms", 0, 30_000), ("buffer_fill_rate", 0, 3), ("request_rtt_ms", 5, 900)):
            if rng.random() < 0.6:
                beat[name] = round(rng.uniform(low, high), 3)
        if rng.random() < 0.5:
            beat["dropped_frames"] = rng.randint(0, 12)
        if rng.random() < 0.12:
            beat["delivery"] = rng.choice(DELIVERIES[:3])
        if rng.random() < 0.12:
            beat["bitrate_kbps"] = rng.choice(BITRATES)
        if rng.random() < 0.08:
            # A later, different value of a first-wins attribute: the session keeps the first.
            # (Attributes first sent after view_start are test_late_attributes' subject.)
            beat.update({k: v for k, v in (("channel_id", "ch-late"), ("os", "Linux")) if k in start})
        out.append(beat)
    if rng.random() < 0.35:
        at_ad = rng.randint(start_ms + 1, max(start_ms + 2, at))
        tag = rng.choice(("preroll", "midroll"))
        for step, kind in enumerate(AD_FUNNEL):
            if step >= 3 and rng.random() < 0.3:
                break
            out.append({"ts": at_ad + step * 700, "type": kind, "session_id": session_id, "ad_tag": tag,
                        "ad_id": f"ad-{step}"})
    if rng.random() < 0.7:
        out.append({"ts": max(e["ts"] for e in out) + rng.randint(1, 4_000), "type": "view_end",
                    "session_id": session_id})
    for index, event in enumerate(out):
        if rng.random() < 0.9:
            event["event_id"] = f"{session_id}-e{index}"
        event["ts"] = _ts(rng, int(event["ts"]))
    return out


def batches(seed: int, starts_between: tuple[datetime, datetime], views: int, max_minutes: int,
            prefix: str = "s") -> Batches:
    """``views`` views starting uniformly in ``starts_between``, each up to ``max_minutes`` long;
    about a tenth of the events repeated in the batch and another tenth resent afterwards."""
    rng = random.Random(seed)
    lo, hi = (int(m.timestamp() * 1000) for m in starts_between)
    events: list[dict[str, Any]] = []
    for n in range(views):
        start = rng.randint(lo, hi)
        length = rng.choice((rng.randint(0, 20_000), rng.randint(0, max_minutes * 60_000)))
        events += view_events(rng, f"{prefix}{seed}-{n}", start, length)
    with_id = [e for e in events if "event_id" in e]
    repeated = [dict(e) for e in rng.sample(with_id, len(with_id) // 10)]
    resent = [dict(e) for e in rng.sample(with_id, len(with_id) // 10)]
    first = events + repeated
    rng.shuffle(first)
    return Batches(first=first, resent=resent)
