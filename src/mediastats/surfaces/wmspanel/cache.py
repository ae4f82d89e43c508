"""The built-in "API proxy": answers for closed days, kept until events for those days arrive.

WMSPanel advises heavy users to put a caching proxy in front of its API. Here identical calls
(same account, scope, endpoint and parameters) whose days are all closed (before today, UTC)
are answered from memory; a call that includes today is never cached. Cached calls still count
against the daily limit (CONTRACT §2: every 2xx query call counts).

Invalidation is driven by ingest (``GroupCommitWriter.observers``). A stored row on day D
touches day D. It also touches the day its session started when that differs: views count by
start day (an earlier event moves a start), and a session running into later days lengthens its
span (daily statistics' duration classes and concurrency), so answers that depend on spans
(``spans=True``) drop every day from the session's start to D. Session starts are remembered
from the rows seen; for a session first seen without its ``view_start`` (e.g. after a restart)
the day before is assumed to be its start, which may drop more than needed, never less.

An answer computed while events for its days arrived is not stored: ``mark()`` before the
query, ``put(..., since=mark)`` after; a log of recent invalidations decides.

Only a node that sees every insert can invalidate, so the cache is off when the store is a
shared ClickHouse server (``MEDIASTATS_CLICKHOUSE_URL``: other nodes insert too).
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from mediastats.services import Services

DAY_S = 86_400
# A session's span is followed back at most this many days (longer "sessions" are bogus).
MAX_SPAN_DAYS = 31
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def epoch_day(day: date) -> int:
    return day.toordinal() - _EPOCH_ORDINAL


@dataclass(frozen=True)
class _Entry:
    account_id: str
    body: bytes
    first: int
    last: int
    spans: bool


@dataclass(frozen=True)
class Touched:
    """The days one ingest batch of an account may change: by start/ts, and by span."""

    seq: int
    account_id: str
    days: frozenset[int]
    span_days: frozenset[int]

    def hits(self, first: int, last: int, spans: bool) -> bool:
        days = self.days | self.span_days if spans else self.days
        return any(first <= d <= last for d in days)


class DayCache:
    def __init__(self, capacity: int = 4096, log_size: int = 4096, sessions: int = 200_000) -> None:
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._by_account: dict[str, set[Hashable]] = {}
        self._seq = 0
        self._log: deque[Touched] = deque(maxlen=log_size)
        self._starts: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._sessions = sessions

    def __len__(self) -> int:
        return len(self._entries)

    # --- answers ------------------------------------------------------------------------
    def get(self, key: Hashable) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry.body

    def mark(self) -> int:
        """The point in the invalidation log a query starts at."""
        return self._seq

    def put(self, key: Hashable, account_id: str, body: bytes, first: date, last: date, *,
            spans: bool, since: int) -> bool:
        """Keep ``body`` unless events for its days arrived after ``since``; True if kept."""
        if self.capacity <= 0:
            return False
        lo, hi = epoch_day(first), epoch_day(last)
        oldest = self._log[0].seq if self._log else self._seq + 1
        if since < self._seq and since + 1 < oldest:
            return False  # the log no longer reaches back to the query's start
        for touched in reversed(self._log):
            if touched.seq <= since:
                break
            if touched.account_id == account_id and touched.hits(lo, hi, spans):
                return False
        self._entries[key] = _Entry(account_id, body, lo, hi, spans)
        self._entries.move_to_end(key)
        self._by_account.setdefault(account_id, set()).add(key)
        while len(self._entries) > self.capacity:
            old_key, old = self._entries.popitem(last=False)
            self._forget(old.account_id, old_key)
        return True

    def _forget(self, account_id: str, key: Hashable) -> None:
        keys = self._by_account.get(account_id)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._by_account[account_id]

    # --- invalidation -------------------------------------------------------------------
    def observe(self, account_id: str, rows: list[dict[str, Any]]) -> None:
        """Ingest observer: drop the answers of ``account_id`` whose days these rows touch."""
        if not rows:
            return
        days, span_days = self._touched_days(account_id, rows)
        self._seq += 1
        touched = Touched(self._seq, account_id, frozenset(days), frozenset(span_days - days))
        self._log.append(touched)
        for key in list(self._by_account.get(account_id, ())):
            entry = self._entries[key]
            if touched.hits(entry.first, entry.last, entry.spans):
                del self._entries[key]
                self._forget(account_id, key)

    def _touched_days(self, account_id: str, rows: Iterable[dict[str, Any]]) -> tuple[set[int], set[int]]:
        days: set[int] = set()
        span_days: set[int] = set()
        for row in rows:
            day = int(row["ts"]) // DAY_S
            days.add(day)
            session = row.get("session_id")
            if not session:
                continue
            key = (account_id, str(session))
            start = self._starts.get(key)
            if start is None:
                start = day if row.get("type") == "view_start" else day - 1
            if day < start:
                days.add(start)  # the view no longer starts on that day
                span_days.update(range(day + 1, start))
                start = day
            elif day > start:
                span_days.update(range(max(start, day - MAX_SPAN_DAYS), day))
            self._remember(key, start)
        return days, span_days

    def _remember(self, key: tuple[str, str], start: int) -> None:
        self._starts[key] = start
        self._starts.move_to_end(key)
        while len(self._starts) > self._sessions:
            self._starts.popitem(last=False)


_INSTALLED: dict[int, tuple[Services, DayCache]] = {}


def install_day_cache(services: Services) -> DayCache:
    """The cache of ``services``, created and registered as an ingest observer on first call.

    Call it once in the app's lifespan (before traffic); routes also call it, so it is safe to
    call again."""
    found = _INSTALLED.get(id(services))
    if found is not None and found[0] is services:
        return found[1]
    shared_store = services.settings.clickhouse_url is not None
    cache = DayCache(capacity=0 if shared_store else 4096)
    if not shared_store:
        services.ingestor.writer.observers.append(cache.observe)
    _INSTALLED[id(services)] = (services, cache)
    return cache
