"""A seeded generator of realistic viewing traffic as CONTRACT §3 events.

    Simulator(seed)
      .session(start_ms, rng)   one view: view_start, a heartbeat every N s, ad funnels, view_end
      .history(start, end)      days of traffic (daily audience curve, prime time peaks) in batches
      .server_events(start, end) server_sync every minute per server, stream (un)publish outages
    LiveAudience(sim, viewers)  N viewers watching now: ``due(now_ms)`` → the events due so far

Every random choice comes from a ``random.Random`` keyed by the seed and what is being drawn
(an hour, a session, a viewer), so the same seed gives the same events whatever is asked first.
Session attributes are sent once, on ``view_start``, as players do; ``delivery``, ``bitrate_kbps``
and ``representation_id`` again whenever they change.
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate
from typing import Any, Generic, TypeVar

from mediastats.simulate_data import (
    CDN_HOST, CHANNELS, CLIENTS, EDGE_OF_PLACE, ENCODER_IPS, HOURLY_CURVE, LADDER, ORIGIN, PLACES,
    SERVERS, Client,
)

Event = dict[str, Any]
T = TypeVar("T")
HOUR_MS, DAY_MS = 3_600_000, 86_400_000
_CURVE_SUM = sum(HOURLY_CURVE)
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

    # --- days of traffic ---------------------------------------------------------------------
    def sessions_in_hour(self, hour: int, sessions_per_day: float) -> int:
        moment = datetime.fromtimestamp(hour * 3600, UTC)
        weekend = 1.25 if moment.weekday() >= 5 else 1.0
        expected = sessions_per_day * HOURLY_CURVE[moment.hour] / _CURVE_SUM * weekend
        noise = self.rng("load", hour).uniform(0.85, 1.15)
        return int(expected * noise + 0.5)

    def history(self, start_ms: int, end_ms: int, *, sessions_per_day: float = 1800, heartbeat_s: int = 60,
                batch_events: int = 20_000) -> Iterator[tuple[list[Event], int]]:
        """(batch, simulated time reached) for views starting in [start_ms, end_ms); batches hold
        whole views. Views still running at ``end_ms`` are cut there."""
        batch: list[Event] = []
        for hour in range(start_ms // HOUR_MS, -(-end_ms // HOUR_MS)):
            for i in range(self.sessions_in_hour(hour, sessions_per_day)):
                rng = self.rng("session", hour, i)
                begin = hour * HOUR_MS + rng.randrange(HOUR_MS)
                if start_ms <= begin < end_ms:
                    batch += self.session(begin, rng, heartbeat_s=heartbeat_s, until_ms=end_ms)
            batch += self.server_events(max(start_ms, hour * HOUR_MS), min(end_ms, (hour + 1) * HOUR_MS))
            if len(batch) >= batch_events:
                yield batch, min(end_ms, (hour + 1) * HOUR_MS)
                batch = []
        if batch:
            yield batch, end_ms

    def server_events(self, start_ms: int, end_ms: int) -> list[Event]:
        """``server_sync`` every minute per server and, some days, a short outage of a stream."""
        events: list[Event] = []
        for n, server in enumerate((*SERVERS, ORIGIN)):
            offset = n * 7000
            first = -(-(start_ms - offset) // 60_000)
            for minute in range(first, -(-(end_ms - offset) // 60_000)):
                events.append({"ts": minute * 60_000 + offset, "type": "server_sync",
                               "event_id": f"sync:{server.server_id}:{minute}",
                               "server_id": server.server_id, "server_name": server.server_name})
        for day in range(start_ms // DAY_MS, -(-end_ms // DAY_MS)):
            for channel in CHANNELS:
                for stream_id in channel.streams:
                    rng = self.rng("outage", day, stream_id)
                    if rng.random() > 0.3:
                        continue
                    down = day * DAY_MS + rng.randrange(DAY_MS)
                    up = down + rng.randrange(60_000, 300_000)
                    for kind, at in (("stream_unpublish", down), ("stream_publish", up)):
                        if start_ms <= at < end_ms:
                            events.append({
                                "ts": at, "type": kind, "event_id": f"{kind}:{stream_id}:{day}",
                                "server_id": ORIGIN.server_id, "server_name": ORIGIN.server_name,
                                "channel_id": channel.channel_id, "stream_id": stream_id,
                                "protocol": rng.choice(("RTMP", "SRT")), "remote_ip": rng.choice(ENCODER_IPS),
                                "publish_type": "push"})
        return events


def end_early(events: list[Event], count: int) -> list[Event]:
    """The view cut to ``count`` events (≥ 2), its last one a ``view_end`` (bench packing)."""
    kept = [dict(e) for e in events[: count - 1]]
    last = events[count - 1] if count - 1 < len(events) else events[-1]
    kept.append({"ts": max(last["ts"], kept[-1]["ts"]), "type": "view_end",
                 "event_id": f"{kept[0]['session_id']}:end", "session_id": kept[0]["session_id"]})
    return kept


class LiveAudience:
    """``viewers`` views running at once from ``start_ms`` on; each ended view is replaced."""

    def __init__(self, sim: Simulator, viewers: int, start_ms: int, *, heartbeat_s: int = 10,
                 run: str = "live") -> None:
        self.sim, self.heartbeat_s, self.run = sim, heartbeat_s, run
        self._heap: list[tuple[int, int, int, list[Event]]] = []  # (next ts, n, position, events)
        self._count = 0
        self._synced_ms = start_ms
        spread = heartbeat_s * 1000
        for _ in range(viewers):
            self._start(start_ms + self.sim.rng(run, "stagger", self._count).randrange(spread))

    @property
    def sessions_started(self) -> int:
        return self._count

    def _start(self, at_ms: int) -> None:
        rng = self.sim.rng(self.run, "session", self._count)
        events = self.sim.session(at_ms, rng, heartbeat_s=self.heartbeat_s)
        heapq.heappush(self._heap, (events[0]["ts"], self._count, 0, events))
        self._count += 1

    def due(self, now_ms: int) -> list[Event]:
        """Every event with ``ts`` ≤ ``now_ms`` not handed out yet."""
        out: list[Event] = []
        while self._heap and self._heap[0][0] <= now_ms:
            _ts, n, pos, events = heapq.heappop(self._heap)
            out.append(events[pos])
            if pos + 1 < len(events):
                heapq.heappush(self._heap, (events[pos + 1]["ts"], n, pos + 1, events))
            else:  # the viewer leaves; someone else starts watching a little later
                self._start(events[pos]["ts"] + self.sim.rng(self.run, "gap", n).randrange(1000, 20_000))
        if now_ms > self._synced_ms:
            out += self.sim.server_events(self._synced_ms, now_ms + 1)
            self._synced_ms = now_ms + 1
        return [e for e in out if e["type"] not in ("stream_publish", "stream_unpublish")]

    def stop(self, now_ms: int) -> list[Event]:
        """A ``view_end`` for every running view (the simulation is over)."""
        ends = [{"ts": now_ms, "type": "view_end", "event_id": f"{events[0]['session_id']}:stop",
                 "session_id": events[0]["session_id"]} for _ts, _n, _pos, events in self._heap]
        self._heap.clear()
        return ends


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
