"""CMCD semantics: records in, CONTRACT §3 events out, with per-session play-state arithmetic.

CMCD reports a play *state* (``sta``) at an instant (``ts``); the event format wants *deltas*
(``played_ms``, ``rebuffer_ms``) since the session's previous event. :class:`CmcdSessionTracker`
keeps, per session, the last state and the time it was reported, and gives every report the
time since the previous report, credited to the state that was in force:

- ``p`` (playing) → ``played_ms``; ``r`` (rebuffering) → ``rebuffer_ms``;
- every other state — ``s`` starting, ``k`` seeking, ``a`` paused, ``w`` waiting, ``d``
  preloading, ``e``/``f``/``q`` ended, fatal error, quit — credits nothing: startup and seeks
  are not stalls, and a paused view is not watched.

A report without ``sta`` (``e=t`` interval reports, v1 requests) splits the interval and keeps
the state. Worked example (ts in ms): ``s``@1000, ``p``@2500, ``t``@12500, ``r``@15000,
``p``@17200, ``a``@20000, ``p``@50000, ``e``@53000 give played 0, 0, 10000, 2500, 0, 2800, 0,
3000 (18300 in all) and rebuffer 2200 on the report at 17200.

Guards: a report older than the session's latest one (``rr`` reports carry the *request* time)
credits nothing and does not change the state; a gap longer than ``max_gap_ms`` (lost reports,
a dead tab — players send ``e=t`` every 10–30 s) credits nothing. Sessions with no state at all
may report ``bsda`` (absolute stall time) instead, which then becomes ``rebuffer_ms`` deltas;
``dfa`` (absolute dropped frames) becomes ``dropped_frames`` deltas.

Retries: ``event_id`` is a hash of the record's canonical dictionary (and the tracker scope), so
a resent line gets the same id and ingest's dedup drops it. The measures computed for recent
ids are remembered, so a retry of a batch whose first attempt was never stored yields the same
deltas instead of zeros. State is bounded: least recently seen sessions are dropped beyond
``max_sessions`` or after ``idle_ms``; a dropped session seen again starts afresh.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from mediastats.ingest.cmcd_parse import CmcdRecord

PLAYED_STATE = "p"
REBUFFER_STATE = "r"
START_STATE = "s"
END_STATES = frozenset({"e", "f", "q"})
CONTENT_TYPES = {"v": "vod", "l": "live"}
PROTOCOLS = {"h": "HLS", "lh": "HLS", "d": "DASH", "ld": "DASH", "s": "Smooth", "e": "HESP"}
# br of these object types is the rendition a viewer sees; audio, init, manifest … are not.
RENDITION_OBJECT_TYPES = frozenset({None, "v", "av"})


@dataclass(slots=True)
class _Session:
    state: str | None
    ts: int
    seen_ms: int
    dfa: int | None = None
    bsda: int | None = None
    had_state: bool = False


@dataclass(frozen=True, slots=True)
class _Measures:
    type: str
    played_ms: int
    rebuffer_ms: int
    dropped_frames: int | None


class CmcdSessionTracker:
    """Bounded in-memory CMCD session state; one instance serves many accounts via ``scope``."""

    def __init__(
        self,
        *,
        max_sessions: int = 100_000,
        max_gap_ms: int = 600_000,
        idle_ms: int = 6 * 3_600_000,
        replay_size: int = 65_536,
    ) -> None:
        self.max_sessions = max_sessions
        self.max_gap_ms = max_gap_ms
        self.idle_ms = idle_ms
        self.replay_size = replay_size
        self._sessions: OrderedDict[tuple[str, str], _Session] = OrderedDict()
        self._replay: OrderedDict[str, _Measures] = OrderedDict()

    @property
    def session_count(self) -> int:
        """Sessions currently remembered (at most ``max_sessions``)."""
        return len(self._sessions)

    def to_events(
        self,
        records: Iterable[CmcdRecord],
        *,
        user_agent: str,
        ip: str,
        now_ms: int,
        scope: str = "",
    ) -> list[dict[str, object]]:
        """CONTRACT §3 events for ``records``, in time order, updating the session state.

        ``scope`` keeps sessions (and event ids) of different accounts apart; pass the account id
        when one tracker serves several accounts. Records without ``ts`` (v1) happen at ``now_ms``.
        """
        self._expire(now_ms)
        ordered = sorted(records, key=lambda record: _ts(record, now_ms))  # stable: ties keep order
        return [self._event(record, user_agent, ip, now_ms, scope) for record in ordered]

    def _event(
        self, record: CmcdRecord, user_agent: str, ip: str, now_ms: int, scope: str
    ) -> dict[str, object]:
        ts = _ts(record, now_ms)
        event_id = _event_id(record, scope)
        measures = self._replay.get(event_id)
        if measures is None:
            measures = self._measure(record, ts, now_ms, scope)
            self._replay[event_id] = measures
            if len(self._replay) > self.replay_size:
                self._replay.popitem(last=False)
        event: dict[str, object] = {
            "ts": ts,
            "type": measures.type,
            "event_id": event_id,
            "session_id": record.sid,
            "played_ms": measures.played_ms,
            "rebuffer_ms": measures.rebuffer_ms,
        }
        optional: dict[str, object | None] = {
            "content_id": record.cid,
            "content_type": CONTENT_TYPES.get(record.st or ""),
            "protocol": PROTOCOLS.get(record.sf or ""),
            "stream_uri": _stream_uri(record),
            "bitrate_kbps": _bitrate(record),
            "buffer_ms": record.bl if record.ot in RENDITION_OBJECT_TYPES else None,
            "request_rtt_ms": record.ttfb,
            "dropped_frames": measures.dropped_frames,
            "user_agent": user_agent or None,
            "ip": ip or None,
        }
        event.update({key: value for key, value in optional.items() if value is not None})
        return event

    def _measure(self, record: CmcdRecord, ts: int, now_ms: int, scope: str) -> _Measures:
        key = (scope, record.sid)
        session = self._sessions.pop(key, None)
        first = session is None
        if session is None:
            session = _Session(state=None, ts=ts, seen_ms=now_ms)
        self._sessions[key] = session  # (re)inserted last: the order is least recently seen first
        if len(self._sessions) > self.max_sessions:
            self._sessions.popitem(last=False)
        session.seen_ms = now_ms
        previous = session.state
        played = rebuffer = 0
        dropped: int | None = None
        if ts >= session.ts:  # an older report (e.g. rr, stamped at request time) credits nothing
            if ts - session.ts <= self.max_gap_ms:
                played = ts - session.ts if previous == PLAYED_STATE else 0
                rebuffer = ts - session.ts if previous == REBUFFER_STATE else 0
            session.ts = ts
            if record.sta is not None:
                session.state, session.had_state = record.sta, True
            dropped = _counter_delta(session.dfa, record.dfa)
            session.dfa = record.dfa if record.dfa is not None else session.dfa
            if not session.had_state and record.bsda is not None:
                rebuffer = _counter_delta(session.bsda, record.bsda) or 0
                session.bsda = record.bsda
        return _Measures(_event_type(record.sta, previous, first), played, rebuffer, dropped)

    def _expire(self, now_ms: int) -> None:
        while self._sessions:
            key, oldest = next(iter(self._sessions.items()))
            if now_ms - oldest.seen_ms <= self.idle_ms:
                break
            del self._sessions[key]


def _event_type(state: str | None, previous: str | None, first: bool) -> str:
    if state in END_STATES:
        return "view_end"
    if first or (state == START_STATE and previous != START_STATE):
        return "view_start"
    return "heartbeat"


def _ts(record: CmcdRecord, now_ms: int) -> int:
    return record.ts if record.ts is not None else now_ms


def _event_id(record: CmcdRecord, scope: str) -> str:
    if not scope:
        return f"cmcd-{record.digest[:32]}"
    return "cmcd-" + hashlib.sha256(f"{scope}\0{record.digest}".encode()).hexdigest()[:32]


def _counter_delta(previous: int | None, current: int | None) -> int | None:
    """Delta of an absolute counter; a counter that went down was reset, so it all counts."""
    if current is None:
        return None
    return current - previous if previous is not None and current >= previous else current


def _bitrate(record: CmcdRecord) -> int | None:
    if record.pb is not None:  # playhead bitrate: what is on screen, better than what is fetched
        return record.pb
    return record.br if record.ot in RENDITION_OBJECT_TYPES else None


def _stream_uri(record: CmcdRecord) -> str | None:
    """``url`` (response/rr reports); else ``nor`` when absolute — a relative path names nothing."""
    if record.url:
        return record.url
    if record.nor:
        candidate = unquote(record.nor)
        if urlsplit(candidate).scheme in ("http", "https"):
            return candidate
    return None
