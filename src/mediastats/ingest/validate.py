"""Step 2 of ingest: one raw event → a typed ``Event`` and its time, or a reason to reject it.

Reasons name the field, so a client can fix its payload (CONTRACT §3). ``validate`` decodes one
event; ``check`` holds the rules for an event already decoded (the fast path of ``decode``
decodes a whole valid array at once and only then checks each event).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import msgspec

from mediastats.model.event import SESSION_EVENT_TYPES, Event

FUTURE_TOLERANCE_MS = 3600 * 1000
_decoder = msgspec.json.Decoder(Event)


# Not frozen: a frozen dataclass costs ~1 µs more to build, once per event (nothing mutates these).
@dataclass(slots=True)
class Valid:
    index: int
    event: Event
    ts_ms: int


@dataclass(slots=True)
class Rejected:
    index: int
    error: str


def parse_ts_ms(value: str | int) -> int:
    """Epoch milliseconds of an RFC 3339 string or an epoch-ms integer; ValueError if neither."""
    if isinstance(value, int):
        if value < 0:
            raise ValueError("ts must be epoch milliseconds >= 0")
        return value
    text = value.strip()
    if not text:
        raise ValueError("ts is empty")
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise ValueError(f"ts {value!r} is not an RFC 3339 time or epoch milliseconds") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def validate(index: int, raw: msgspec.Raw, now_ms: int) -> Valid | Rejected:
    try:
        event = _decoder.decode(raw)
    except msgspec.ValidationError as exc:
        return Rejected(index, _field_message(str(exc)))
    except msgspec.DecodeError as exc:
        return Rejected(index, f"event is not valid JSON: {exc}")
    return check(index, event, now_ms)


def check(index: int, event: Event, now_ms: int) -> Valid | Rejected:
    """The rules msgspec's types cannot say: a readable ``ts`` not too far ahead, a session."""
    ts = event.ts
    if type(ts) is int and ts >= 0:
        ts_ms = ts  # the common case, without the call
    else:
        try:
            ts_ms = parse_ts_ms(ts)
        except ValueError as exc:
            return Rejected(index, f"field `ts`: {exc}")
    if ts_ms > now_ms + FUTURE_TOLERANCE_MS:
        return Rejected(index, "field `ts`: more than 1 hour in the future")
    if event.type in SESSION_EVENT_TYPES and not event.session_id:
        return Rejected(index, f"field `session_id`: required for type {event.type!r}")
    return Valid(index, event, ts_ms)


def _field_message(message: str) -> str:
    """msgspec says "Expected `int` >= 0 - at `$.played_ms`"; lead with the field name."""
    if " - at `$." in message:
        text, _, path = message.rpartition(" - at `$.")
        return f"field `{path.rstrip('`')}`: {text}"
    if message.startswith("Object missing required field"):
        field = message.split("`")[1] if "`" in message else "?"
        return f"field `{field}`: required"
    return message
