"""Traffic made of simulated views: days of history, and an audience watching now.

    history(sim, start, end)       views starting in [start, end) (daily curve, prime time) in batches
    server_events(sim, start, end) server_sync every minute per server, stream (un)publish outages
    LiveAudience(sim, viewers)     N viewers watching now: ``due(now_ms)`` → the events due so far
    end_early(view, n)             a view cut to n events (for batches of an exact size)
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import UTC, datetime

from mediastats.simulate_data import CHANNELS, ENCODER_IPS, HOURLY_CURVE, ORIGIN, SERVERS
from mediastats.simulate_sessions import Event, Simulator

HOUR_MS, DAY_MS = 3_600_000, 86_400_000
_CURVE_SUM = sum(HOURLY_CURVE)


def sessions_in_hour(sim: Simulator, hour: int, sessions_per_day: float) -> int:
    moment = datetime.fromtimestamp(hour * 3600, UTC)
    weekend = 1.25 if moment.weekday() >= 5 else 1.0
    expected = sessions_per_day * HOURLY_CURVE[moment.hour] / _CURVE_SUM * weekend
    noise = sim.rng("load", hour).uniform(0.85, 1.15)
    return int(expected * noise + 0.5)


def history(sim: Simulator, start_ms: int, end_ms: int, *, sessions_per_day: float = 1800,
            heartbeat_s: int = 60, batch_events: int = 20_000) -> Iterator[tuple[list[Event], int]]:
    """(batch, simulated time reached) for views starting in [start_ms, end_ms); batches hold
    whole views. Views still running at ``end_ms`` are cut there."""
    batch: list[Event] = []
    for hour in range(start_ms // HOUR_MS, -(-end_ms // HOUR_MS)):
        for i in range(sessions_in_hour(sim, hour, sessions_per_day)):
            rng = sim.rng("session", hour, i)
            begin = hour * HOUR_MS + rng.randrange(HOUR_MS)
            if start_ms <= begin < end_ms:
                batch += sim.session(begin, rng, heartbeat_s=heartbeat_s, until_ms=end_ms)
        batch += server_events(sim, max(start_ms, hour * HOUR_MS), min(end_ms, (hour + 1) * HOUR_MS))
        if len(batch) >= batch_events:
            yield batch, min(end_ms, (hour + 1) * HOUR_MS)
            batch = []
    if batch:
        yield batch, end_ms


def server_events(sim: Simulator, start_ms: int, end_ms: int) -> list[Event]:
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
                rng = sim.rng("outage", day, stream_id)
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
            out += server_events(self.sim, self._synced_ms, now_ms + 1)
            self._synced_ms = now_ms + 1
        return [e for e in out if e["type"] not in ("stream_publish", "stream_unpublish")]

    def stop(self, now_ms: int) -> list[Event]:
        """A ``view_end`` for every view that has started and not ended (the simulation is over)."""
        ends = [{"ts": now_ms, "type": "view_end", "event_id": f"{events[0]['session_id']}:stop",
                 "session_id": events[0]["session_id"]} for _ts, _n, pos, events in self._heap if pos > 0]
        self._heap.clear()
        return ends
