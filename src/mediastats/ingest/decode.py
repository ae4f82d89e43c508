"""Step 1 of ingest: a request body → one undecoded JSON value per event.

Size limits are checked before and after decompression (CONTRACT §3: 10 × 2^20 bytes, 100,000
events). Each event stays ``msgspec.Raw`` so that one bad event is rejected alone later — except
on the fast path: a JSON array whose every event is valid is decoded in one call
(``decode_valid_array``), about four times faster than event by event; any error there sends the
body down the per-event path, which then says what is wrong with which event.
"""

from __future__ import annotations

import zlib

import msgspec

from mediastats.model.event import Event

MAX_BODY_BYTES = 10 * 2**20
MAX_EVENTS = 100_000

_raw_list = msgspec.json.Decoder(list[msgspec.Raw])
_event_list = msgspec.json.Decoder(list[Event])
_NDJSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/ndjson")


class BodyError(Exception):
    """The whole body is refused: ``status`` is 400 or 413."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def decompress(body: bytes, content_encoding: str | None) -> bytes:
    if len(body) > MAX_BODY_BYTES:
        raise BodyError(413, f"body is larger than {MAX_BODY_BYTES} bytes")
    encoding = (content_encoding or "").strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise BodyError(400, f"Content-Encoding {encoding!r} is not supported; use gzip")
    wbits = 16 + zlib.MAX_WBITS if encoding != "deflate" else zlib.MAX_WBITS
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(body, MAX_BODY_BYTES + 1)
    except zlib.error as exc:
        raise BodyError(400, f"body is not valid {encoding}: {exc}") from None
    if len(out) > MAX_BODY_BYTES or inflater.unconsumed_tail:
        raise BodyError(413, f"body is larger than {MAX_BODY_BYTES} bytes once decompressed")
    return out


def decode_valid_array(body: bytes, content_type: str | None) -> list[Event] | None:
    """Every event of a JSON array body, typed, if they all decode; else None (take ``split_events``)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in _NDJSON_TYPES or body.lstrip()[:1] != b"[":
        return None
    events = decode_all_valid(body)
    if events is not None and len(events) > MAX_EVENTS:
        raise BodyError(413, f"a batch holds at most {MAX_EVENTS} events, this one {len(events)}")
    return events


def decode_all_valid(array: bytes) -> list[Event] | None:
    """The events of a JSON array, typed, or None if any of them does not decode."""
    try:
        return _event_list.decode(array)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
        return None


def split_events(body: bytes, content_type: str | None) -> list[msgspec.Raw]:
    """The events of a JSON array or NDJSON body, undecoded."""
    kind = (content_type or "").split(";")[0].strip().lower()
    stripped = body.lstrip()
    if kind in _NDJSON_TYPES or (
        stripped[:1] == b"{" and kind != "application/json"
    ):
        events = [msgspec.Raw(line) for line in body.splitlines() if line.strip()]
        if not events:
            raise BodyError(400, "body holds no events: send a JSON array or NDJSON lines")
        if not any(bytes(line).lstrip()[:1] == b"{" for line in events):
            raise BodyError(400, "body is not NDJSON: no line holds a JSON object")
    else:
        try:
            events = _raw_list.decode(body)
        except (msgspec.DecodeError, RecursionError) as exc:  # deep nesting recursed (was a 500)
            raise BodyError(400, f"body is not a JSON array of events or NDJSON: {exc}") from None
    if len(events) > MAX_EVENTS:
        raise BodyError(413, f"a batch holds at most {MAX_EVENTS} events, this one {len(events)}")
    return events
