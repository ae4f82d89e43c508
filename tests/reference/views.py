"""A session's view of the events one account sent (CONTRACT §3), for the reference model.

Repeats of an ``event_id`` are dropped (the first one counts). A session's attribute is the value
on its earliest event that carries it; ``delivery`` and ``bitrate_kbps`` take the latest value, and
each event also records the value in force when it was sent. Defaults: channel ``default``,
content type ``live``, delivery ``cdn``. The viewer is ``viewer_id``, else ``ip`` + ``user_agent``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.reference.vocab import CANONICAL, VENDOR_COLUMNS, canonical_value, vendor_value

SESSION_TYPES = frozenset({"view_start", "heartbeat", "view_end", "ad_opportunity", "ad_request",
                           "ad_response", "ad_asset", "ad_impression"})
NOT_ATTRIBUTES = frozenset({"ts", "type", "event_id", "played_ms", "rebuffer_ms", "bytes_cdn", "bytes_p2p",
                            "dropped_frames", "buffer_ms", "buffer_fill_rate", "request_rtt_ms", "ad_tag",
                            "ad_id", "ad_duration_ms", "session_id"})
LATEST_WINS = ("delivery", "bitrate_kbps")
DEFAULTS: dict[str, Any] = {"channel_id": "default", "content_type": "live", "delivery": "cdn", "bitrate_kbps": 0}
# WMSPanel view-duration classes (CONTRACT §7): < 5 s, 5–10 s, … 25–30 s, 30 s–5 min, … ≥ 3 h.
SPAN_CLASSES = ((5, "l5s"), (10, "l10s"), (15, "l15s"), (20, "l20s"), (25, "l25s"), (30, "l30s"),
                (300, "l5m"), (900, "l15m"), (1800, "l30m"), (3600, "l1h"), (7200, "l2h"), (10800, "l3h"))


def ts_ms(value: str | int) -> int:
    if isinstance(value, int):
        return value
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)


@dataclass
class Event:
    ts_ms: int
    type: str
    raw: dict[str, Any]
    # delivery / bitrate in force when the event was sent
    current: dict[str, Any] = field(default_factory=dict)
    view: View | None = None

    def value(self, name: str) -> Any:
        if name == "ad_tag":
            return self.raw.get("ad_tag") or ""
        if name in LATEST_WINS:
            return self.current[name]
        assert self.view is not None
        return self.view.value(name)


@dataclass
class View:
    session_id: str
    events: list[Event]
    attrs: dict[str, Any]

    @property
    def first_ms(self) -> int:
        return self.events[0].ts_ms

    @property
    def last_ms(self) -> int:
        return self.events[-1].ts_ms

    @property
    def viewer(self) -> str:
        return self.attrs.get("viewer_id") or f"{self.attrs.get('ip', '')}|{self.attrs.get('user_agent', '')}"

    def value(self, name: str) -> Any:
        if name == "span_class":
            seconds = (self.last_ms - self.first_ms) / 1000
            return next((label for bound, label in SPAN_CLASSES if seconds < bound), "g3h")
        if name in VENDOR_COLUMNS:
            return vendor_value(name, self.attrs)
        if name in CANONICAL:
            return canonical_value(name, self.attrs)
        return self.attrs.get(name, DEFAULTS.get(name, ""))


@dataclass
class Store:
    """The events of one account as the server should hold them."""

    events: list[Event]
    views: dict[str, View]


def store_of(sent: Iterable[dict[str, Any]]) -> Store:
    seen: set[str] = set()
    kept: list[Event] = []
    for raw in sent:
        event_id = raw.get("event_id")
        if event_id:
            if event_id in seen:
                continue
            seen.add(event_id)
        kept.append(Event(ts_ms(raw["ts"]), raw["type"], raw))
    kept.sort(key=lambda e: e.ts_ms)
    views: dict[str, View] = {}
    for event in kept:
        if event.type in SESSION_TYPES:
            view = views.setdefault(event.raw["session_id"], View(event.raw["session_id"], [], {}))
            view.events.append(event)
            event.view = view
    for view in views.values():
        current = {name: DEFAULTS[name] for name in LATEST_WINS}
        for event in view.events:
            for name, value in event.raw.items():
                if name in NOT_ATTRIBUTES or value in (None, ""):
                    continue
                if name in LATEST_WINS:
                    current[name] = value
                    view.attrs[name] = value
                else:
                    view.attrs.setdefault(name, value)
            event.current = dict(current)
    return Store(kept, views)
