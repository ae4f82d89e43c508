"""A seeded generator of realistic views as CONTRACT §3 events.

    Simulator(seed)
      .viewer(index)            one member of the audience: device, place, address, viewer_id
      .session(start_ms, rng)   one view: view_start, a heartbeat every N s, ad funnels, view_end

Days of traffic and live audiences are built from views in ``mediastats.simulate_traffic``.

Every random choice comes from a ``random.Random`` keyed by the seed and what is being drawn
(an hour, a session, a viewer), so the same seed gives the same events whatever is asked first.
Session attributes are sent once, on ``view_start``, as players do; ``delivery``, ``bitrate_kbps``
and ``representation_id`` again whenever they change.
"""

from __future__ import annotations

import bisect
import math
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate
from typing import Any, Generic, TypeVar

from mediastats.simulate_data import (
    CDN_HOST,
    CHANNELS,
    CLIENTS,
    EDGE_OF_PLACE,
    LADDER,
    ORIGIN,
    PLACES,
    SERVERS,
    Client,
)

Event = dict[str, Any]
T = TypeVar("T")
_AD_STEPS = (("ad_request", 60, 1.0), ("ad_response", 350, 0.9), ("ad_asset", 700, 0.93),
             ("ad_impression", 1600, 0.96))


class Weighted(Generic[T]):
    """Fast weighted choice with a given ``random.Random``."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(accumulate(weights))

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


@dataclass(frozen=True)
class Viewer:
    client: Client
    country: str
    ip: str
    viewer_id: str | None  # logged-in viewers send one; the others are ip + user agent
    connection: str
    edges: tuple[str, ...]


_CLIENTS = Weighted(CLIENTS, [c.weight for c in CLIENTS])
_PLACES = Weighted(PLACES, [p[1] for p in PLACES])
# Channels by UTC hour: a channel's peak hours draw 2.5 times its usual share.
_CHANNELS_AT = [Weighted(CHANNELS, [c.weight * (2.5 if h in c.peak_hours else 1.0) for c in CHANNELS])
                for h in range(24)]
_SERVER_NAMES = {s.server_id: s.server_name for s in (*SERVERS, ORIGIN)}


class Simulator:
    def __init__(self, seed: int | str = 7, *, audience: int = 25_000, ad_share: float = 0.35) -> None:
        self.seed = seed
        self.audience = audience
        self.ad_share = ad_share
        self._viewers: dict[int, Viewer] = {}

    def rng(self, *key: object) -> random.Random:
        return random.Random(f"{self.seed}/{'/'.join(map(str, key))}")

    # --- who watches ------------------------------------------------------------------------
    def viewer(self, index: int) -> Viewer:
        """Viewer ``index`` of the audience: always the same device, place and address."""
        found = self._viewers.get(index)
        if found is None:
            rng = self.rng("viewer", index)
            client = _CLIENTS.pick(rng)
            country, _, nets = _PLACES.pick(rng)
            ip = f"{rng.choice(nets)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            viewer_id = f"viewer-{index:06d}" if rng.random() < 0.5 else None
            found = Viewer(client, country, ip, viewer_id, rng.choice(client.connections),
                           EDGE_OF_PLACE[country])
            self._viewers[index] = found
        return found

    def pick_viewer(self, rng: random.Random) -> Viewer:
        # Heavy viewers come back more often: the low indices are drawn most.
        return self.viewer(int(self.audience * rng.random() ** 2))

    # --- one view ---------------------------------------------------------------------------
    def session(self, start_ms: int, rng: random.Random, *, heartbeat_s: int = 10,
                until_ms: int | None = None) -> list[Event]:
        """The events of one view starting at ``start_ms``, in time order (cut at ``until_ms``)."""
        viewer = self.pick_viewer(rng)
        client = viewer.client
        hour = datetime.fromtimestamp(start_ms / 1000, UTC).hour
        channel = _CHANNELS_AT[hour].pick(rng)
        programme = rng.choice(channel.programmes)
        sid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        apple = "Apple" in client.user_agent or "iPhone" in client.user_agent or "iPad" in client.user_agent
        stream_id = rng.choice(channel.streams)
        protocol = "DASH" if stream_id.endswith("dash") and not apple else client.protocol
        if programme.content_type == "vod":
            stream_id = f"{channel.channel_id}-vod"
            uri = f"{CDN_HOST}/vod/{programme.content_id}/{_manifest(protocol)}"
        else:
            uri = f"{CDN_HOST}/live/{channel.channel_id}/{stream_id}/{_manifest(protocol)}"
        server_id = rng.choice(viewer.edges)
        delivery = ("p2p" if rng.random() < 0.55 else "cdn") if client.p2p else "not_compatible"
        cap = min(client.max_kbps, 2800 if viewer.connection == "cellular" else client.max_kbps)
        top = max(i for i, (kbps, _) in enumerate(LADDER) if kbps <= cap)
        rung = max(0, top - rng.randrange(3))
        duration_ms = _duration_ms(rng, channel.channel_id, programme.content_type)
        end_ms = start_ms + duration_ms
        start: Event = {
            "ts": start_ms, "type": "view_start", "event_id": f"{sid}:0", "session_id": sid,
            "server_id": server_id, "server_name": _SERVER_NAMES[server_id],
            "channel_id": channel.channel_id, "stream_id": stream_id, "stream_uri": uri,
            "content_id": programme.content_id, "content_name": programme.content_name,
            "series_name": programme.series_name, "studio": programme.studio,
            "content_type": programme.content_type, "protocol": protocol,
            "bitrate_kbps": LADDER[rung][0], "representation_id": LADDER[rung][1], "delivery": delivery,
            "ip": viewer.ip, "user_agent": client.user_agent,
            "buffer_ms": 800 + int(3200 * rng.random()), "request_rtt_ms": int(_rtt_base(viewer) * 1.5),
        }
        if viewer.viewer_id:
            start["viewer_id"] = viewer.viewer_id
        if viewer.connection:
            start["connection_type"] = viewer.connection
        start.update(client.explicit)
        events = [start]
        if channel.ad_tags and rng.random() < self.ad_share:
            events += _ad_funnel(rng, sid, start_ms + 400, rng.choice(channel.ad_tags[:1]), 1)
            breaks = range(start_ms + rng.randrange(600_000, 1_200_000), end_ms - 5000, 1_200_000)
            for n, at in enumerate(breaks):
                events += _ad_funnel(rng, sid, at, rng.choice(channel.ad_tags), n + 2)
        share, target = 0.2, rng.uniform(0.45, 0.85)
        step, rtt = heartbeat_s * 1000, _rtt_base(viewer)
        seq, last, stop = len(events), start_ms, min(end_ms, until_ms or end_ms)
        rand = rng.random
        while last < stop:
            at = min(last + step, end_ms)
            ending = at == end_ms
            if ending and rand() < 0.05:
                break  # the player vanished: no view_end, the view is active until its last event
            interval = at - last
            rebuffer = min(interval // 2, 300 + int(5700 * rand())) if rand() < 0.04 else 0
            played = interval - rebuffer
            total_bytes = LADDER[rung][0] * played // 8
            p2p = int(total_bytes * share) if delivery == "p2p" else 0
            beat: Event = {
                "ts": at, "type": "view_end" if ending else "heartbeat", "event_id": f"{sid}:{seq}",
                "session_id": sid, "played_ms": played, "rebuffer_ms": rebuffer,
                "bytes_cdn": total_bytes - p2p, "bytes_p2p": p2p,
                "dropped_frames": int(-2 * math.log(1.0 - rand())) if rand() < 0.3 else 0,
                "buffer_ms": (1500 if rebuffer else 8000) + int(8000 * rand()),
                "buffer_fill_rate": int(70 + 90 * rand()) / 100, "request_rtt_ms": int(rtt * (0.6 + 1.2 * rand())),
            }
            share += (target - share) * 0.15
            turn = rand()
            new_rung = rung - 1 if rebuffer or turn < 0.07 else rung + 1 if turn > 0.93 else rung
            new_rung = min(max(new_rung, 0), top)
            if new_rung != rung:
                rung = new_rung
                beat["bitrate_kbps"], beat["representation_id"] = LADDER[rung]
            if delivery == "p2p" and rand() < 0.004:
                delivery = beat["delivery"] = "cdn"  # fell back to the CDN; the latest value wins
            events.append(beat)
            seq, last = seq + 1, at
        events.sort(key=lambda e: e["ts"])
        if until_ms is not None and events[-1]["ts"] >= until_ms:
            events = [e for e in events if e["ts"] < until_ms]
        return events


def _manifest(protocol: str) -> str:
    return "manifest.mpd" if protocol == "DASH" else "index.m3u8"


def _duration_ms(rng: random.Random, channel_id: str, content_type: str) -> int:
    if rng.random() < 0.08:
        return rng.randrange(5_000, 40_000)  # a bounce
    median_min = 45 if channel_id == "movies" else 14 if channel_id == "kids" else 20
    minutes = rng.lognormvariate(math.log(median_min), 0.9 if content_type == "live" else 0.7)
    return int(min(minutes, 240) * 60_000)


def _rtt_base(viewer: Viewer) -> float:
    """A typical segment request round trip for this viewer, in ms."""
    base = 35 if viewer.country in ("US", "GB", "DE", "FR", "NL", "JP") else 90
    return base * (1.8 if viewer.connection == "cellular" else 1.0)


def _ad_funnel(rng: random.Random, sid: str, at_ms: int, tag: str, n: int) -> list[Event]:
    """opportunity → request → response → asset → impression, each step reached with its odds."""
    ad_id = f"ad-{rng.randrange(1, 40):03d}"
    events = [{"ts": at_ms, "type": "ad_opportunity", "event_id": f"{sid}:ad{n}:0", "session_id": sid,
               "ad_tag": tag}]
    for step, (kind, delay, odds) in enumerate(_AD_STEPS, start=1):
        if rng.random() > odds:
            break
        event = {"ts": at_ms + delay, "type": kind, "event_id": f"{sid}:ad{n}:{step}", "session_id": sid,
                 "ad_tag": tag, "ad_id": ad_id}
        if kind in ("ad_asset", "ad_impression"):
            event["ad_duration_ms"] = rng.choice((15_000, 30_000))
        events.append(event)
    return events
