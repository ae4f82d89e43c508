"""Steps 3–4 of ingest: a valid event → a stored row, with its session's attributes and enrichment.

A session's attributes come from the earliest event that carries them (delivery, bitrate and
representation: the latest). Clients may send them once, on ``view_start``; the ingest keeps
each live session's attributes in a bounded cache and writes them onto every later row, so
by-time metrics can group by them without a join. After a restart the cache is refilled from the
sessions table for the sessions a batch mentions.

Speed: the cache also keeps each session's row *template* (the columns its attributes decide) and
the attribute values of the event that last changed them; an event that brings nothing new (a
heartbeat, or the same attributes again) costs a copy of the template plus its own measures.
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

import msgspec

from mediastats.ingest.enrich import CANONICAL_COLUMNS, VENDOR_COLUMNS, Enricher
from mediastats.ingest.validate import Valid
from mediastats.model.event import SERVER_EVENT_TYPES, Event

Row = dict[str, Any]

FIRST_WINS = (
    "viewer_id", "server_id", "server_name", "channel_id", "stream_id", "stream_uri", "content_id",
    "content_name", "series_name", "studio", "content_type", "protocol", "ip", "user_agent",
)
LATEST_WINS = ("delivery", "bitrate_kbps", "representation_id")
ENRICHED = tuple(dict.fromkeys((*CANONICAL_COLUMNS, *VENDOR_COLUMNS)))
MEASURES = ("played_ms", "rebuffer_ms", "bytes_cdn", "bytes_p2p")
SAMPLES = ("dropped_frames", "buffer_ms", "buffer_fill_rate", "request_rtt_ms")
PER_EVENT = ("ad_tag", "ad_id", "remote_ip", "publish_type")


class SessionCache:
    """Attributes of recently seen sessions, keyed by (account, session), oldest evicted first."""

    def __init__(self, capacity: int = 500_000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()

    def get(self, key: tuple[str, str]) -> dict[str, Any] | None:
        return self._items.get(key)

    def put(self, key: tuple[str, str], attrs: dict[str, Any]) -> None:
        self._items[key] = attrs
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def touch(self, key: tuple[str, str]) -> None:
        """Mark a cached session as just seen (its attributes were updated in place)."""
        self._items.move_to_end(key)

    def missing(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        return {k for k in keys if k not in self._items}


def session_attributes(event: Event, known: dict[str, Any] | None, enricher: Enricher) -> dict[str, Any]:
    """The session's attributes after seeing ``event`` (events of a session in time order)."""
    attrs = dict(known) if known else {}
    for name in FIRST_WINS:
        if not attrs.get(name):
            value = getattr(event, name)
            if value:
                attrs[name] = value
    for name in LATEST_WINS:
        value = getattr(event, name)
        if value:
            attrs[name] = value
    if not attrs.get("viewer"):
        identity = attrs.get("viewer_id") or (
            f"{attrs.get('ip', '')}|{attrs.get('user_agent', '')}"
            if attrs.get("ip") or attrs.get("user_agent") else ""
        )
        if identity:
            attrs["viewer"] = identity
    explicit = {name: getattr(event, name) for name in CANONICAL_COLUMNS}
    if "enriched" not in attrs or any(explicit.values()) or _inputs_changed(attrs):
        given = {k: v for k, v in (attrs.get("explicit") or {}).items() if v}
        given.update({k: v for k, v in explicit.items() if v and k not in given})
        attrs["explicit"] = given
        attrs["enriched"] = enricher.enrich(
            user_agent=attrs.get("user_agent", ""),
            ip=attrs.get("ip", ""),
            protocol=attrs.get("protocol", ""),
            explicit=given,
        )
        attrs["enriched_from"] = (attrs.get("user_agent"), attrs.get("ip"), attrs.get("protocol"))
    return attrs


def _inputs_changed(attrs: dict[str, Any]) -> bool:
    return attrs.get("enriched_from") != (attrs.get("user_agent"), attrs.get("ip"), attrs.get("protocol"))


def session_template(account_id: str, attrs: dict[str, Any]) -> Row:
    """The part of a session's rows that its attributes decide (the same on each of its events)."""
    # CONTRACT §4: viewer_id, else ip + user agent (both empty is one anonymous viewer).
    row: Row = {
        "account_id": account_id,
        "viewer": attrs.get("viewer") or "|",
        "channel_id": "default",
        "content_type": "live",
        "delivery": "cdn",
    }
    for name in FIRST_WINS:
        if attrs.get(name):
            row[name] = attrs[name]
    for name in LATEST_WINS:
        if attrs.get(name):
            row[name] = attrs[name]
    row.update(attrs["enriched"])
    return row


def session_row(item: Valid, template: Row, received_ms: int, values: tuple[Any, ...]) -> Row:
    """One session event's row: its session's template, then what is the event's own."""
    event = item.event
    row = template.copy()
    row["ts"] = item.ts_ms // 1000
    row["ts_ms"] = item.ts_ms
    row["received_ms"] = received_ms
    row["type"] = event.type
    row["event_id"] = event.event_id or ""
    row["session_id"] = event.session_id or ""
    _copy_measures(values, row)
    return row


def server_row(account_id: str, item: Valid, received_ms: int) -> Row:
    event = item.event
    row: Row = {
        "account_id": account_id,
        "ts": item.ts_ms // 1000,
        "ts_ms": item.ts_ms,
        "received_ms": received_ms,
        "type": event.type,
        "event_id": event.event_id or "",
        "channel_id": event.channel_id or "default",
    }
    for name in ("server_id", "server_name", "stream_id", "stream_uri", "protocol"):
        value = getattr(event, name)
        if value:
            row[name] = value
    _copy_measures(msgspec.structs.astuple(event), row)
    return row


# Positions in ``msgspec.structs.astuple(event)``: one C call instead of a getattr per field.
_FIELDS = Event.__struct_fields__
_SIGNATURE = operator.itemgetter(*(_FIELDS.index(n) for n in (*FIRST_WINS, *CANONICAL_COLUMNS)))
_LATEST_AT = tuple((n, _FIELDS.index(n)) for n in LATEST_WINS)
_MEASURES_AT = tuple((n, _FIELDS.index(n)) for n in (*MEASURES, *SAMPLES))
_PER_EVENT_AT = tuple((n, _FIELDS.index(n)) for n in (*PER_EVENT,))
_AD_DURATION_AT = _FIELDS.index("ad_duration_ms")
_BY_TS = operator.attrgetter("ts_ms")
# Keys normalize keeps in a session's cached attributes besides the attributes themselves.
_SEEN, _TEMPLATE = "_signature", "_template"


def _copy_measures(values: tuple[Any, ...], row: Row) -> None:
    for name, at in _MEASURES_AT:
        value = values[at]
        if value is not None:
            row[name] = value
    for name, at in _PER_EVENT_AT:
        value = values[at]
        if value:
            row[name] = value
    if values[_AD_DURATION_AT] is not None:
        row["ad_duration_ms"] = values[_AD_DURATION_AT]


def _apply_latest(values: tuple[Any, ...], attrs: dict[str, Any], template: Row) -> None:
    for name, at in _LATEST_AT:
        value = values[at]
        if value:
            attrs[name] = template[name] = value


def normalize_batch(
    account_id: str,
    items: list[Valid],
    cache: SessionCache,
    enricher: Enricher,
    received_ms: int,
    load_sessions: Callable[[str, list[str]], dict[str, dict[str, Any]]] | None = None,
) -> list[Row]:
    """Rows for ``items`` (any order), each session's events applied in time order."""
    # Sessions this batch continues without starting them: after a restart their attributes
    # are only in the store.
    started = {i.event.session_id for i in items if i.event.type == "view_start"}
    session_keys = {
        (account_id, i.event.session_id)
        for i in items
        if i.event.session_id and i.event.session_id not in started
    }
    if load_sessions is not None and session_keys:
        missing = cache.missing(session_keys)
        if missing:
            for sid, attrs in load_sessions(account_id, sorted(s for _, s in missing)).items():
                cache.put((account_id, sid), attrs)
    rows: list[Row] = []
    for item in sorted(items, key=_BY_TS):
        event = item.event
        if event.type in SERVER_EVENT_TYPES or not event.session_id:
            rows.append(server_row(account_id, item, received_ms))
            continue
        key = (account_id, event.session_id)
        known = cache.get(key)
        values = msgspec.structs.astuple(event)
        signature = _SIGNATURE(values)
        if known is not None and _TEMPLATE in known and (signature == known[_SEEN] or not any(signature)):
            # Fast path: the event adds no session attribute the session does not have already
            # (a heartbeat, or a client that repeats the same attributes on every event), so
            # session_attributes would only apply the latest-wins fields.
            template = known[_TEMPLATE]
            _apply_latest(values, known, template)
            cache.touch(key)
        else:
            attrs = session_attributes(event, known, enricher)
            attrs[_SEEN] = signature
            attrs[_TEMPLATE] = template = session_template(account_id, attrs)
            cache.put(key, attrs)
        rows.append(session_row(item, template, received_ms, values))
    return rows
