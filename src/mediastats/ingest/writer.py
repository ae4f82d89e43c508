"""Step 6 of ingest: group commit into the store, then acknowledge.

Small inserts are slow in ClickHouse, so concurrent requests are coalesced: each request hands
its rows to the one writer task and waits; the writer takes everything pending (up to
``max_rows``), drops duplicates, inserts once, brings the session facts of the touched sessions
up to date, and only then answers every waiting request. An event is acknowledged only after the
insert that carries it has returned.

Two seams see what was stored:

- ``journals`` — consequences that must survive a crash between the insert and their effect
  (push triggers): ``note`` runs before the insert and must be durable, ``apply`` after it.
  A failed insert is not dropped from the journal here: a failure can be ambiguous (the store
  may have taken the rows), so the journal's own recovery decides by looking in the store.
- ``observers`` — best-effort reactions (cache invalidation), called after the insert.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import msgspec

from mediastats.ingest.dedup import DedupIndex
from mediastats.storage.base import Storage
from mediastats.storage.facts import fold_sessions

log = logging.getLogger(__name__)

Row = dict[str, Any]
# One call encodes a whole insert as NDJSON: ~1 µs a row, against ~5 µs for a dumps per row.
_ENCODER = msgspec.json.Encoder()
Observer = Callable[[str, list[Row]], Awaitable[None] | None]


class Journal(Protocol):
    def note(self, stored: dict[str, list[Row]]) -> Any:
        """Durably record what ``stored`` (account → rows about to be inserted) must trigger;
        returns a ticket for ``apply``, or None when there is nothing to do."""

    def apply(self, ticket: Any) -> None:
        """The insert landed: carry out what was noted."""


@dataclass
class _Pending:
    account_id: str
    rows: list[Row]
    done: asyncio.Future[tuple[int, int]] = field(repr=False)


class GroupCommitWriter:
    def __init__(
        self,
        storage: Storage,
        dedup: DedupIndex,
        *,
        max_rows: int = 200_000,
        linger_s: float = 0.002,
        clock_ms: Callable[[], int] = lambda: int(time.time() * 1000),
    ) -> None:
        self.storage = storage
        self.dedup = dedup
        self.max_rows = max_rows
        self.linger_s = linger_s
        self.clock_ms = clock_ms
        self.observers: list[Observer] = []
        self.journals: list[Journal] = []
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._unfolded: dict[str, list[Row]] = {}

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="ingest-writer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def write(self, account_id: str, rows: list[Row]) -> tuple[int, int]:
        """Store ``rows``; returns (accepted, duplicates) once they are durably stored."""
        if not rows:
            return 0, 0
        self.start()
        done: asyncio.Future[tuple[int, int]] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(account_id, rows, done))
        return await done

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            if self.linger_s:
                await asyncio.sleep(self.linger_s)
            size = len(batch[0].rows)
            while not self._queue.empty() and size < self.max_rows:
                item = self._queue.get_nowait()
                batch.append(item)
                size += len(item.rows)
            try:
                stored, tickets = await self._commit(batch)
            except Exception as exc:  # the store failed: every waiting request learns it
                log.exception("insert failed")
                for item in batch:
                    if not item.done.done():
                        item.done.set_exception(exc)
                continue
            for journal, ticket in tickets:
                try:
                    await asyncio.to_thread(journal.apply, ticket)
                except Exception:  # left noted: the journal's recovery applies it later
                    log.exception("ingest journal failed")
            for observer in self.observers:
                try:
                    for account_id, rows in stored.items():
                        outcome = observer(account_id, rows)
                        if outcome is not None:
                            await outcome
                except Exception:
                    log.exception("ingest observer failed")

    async def _commit(self, batch: list[_Pending]) -> tuple[dict[str, list[Row]], list[tuple[Journal, Any]]]:
        now_ms = self.clock_ms()
        keys = [(item.account_id, row["event_id"]) for item in batch for row in item.rows if row["event_id"]]
        known = self.dedup.seen(keys, now_ms) if keys else set()
        fresh_keys: set[tuple[str, str]] = set()
        fresh: list[Row] = []
        outcomes: list[tuple[int, int]] = []
        stored: dict[str, list[Row]] = {}
        for item in batch:
            accepted = duplicates = 0
            for row in item.rows:
                event_id = row["event_id"]
                if event_id:
                    key = (item.account_id, event_id)
                    if key in known or key in fresh_keys:
                        duplicates += 1
                        continue
                    fresh_keys.add(key)
                fresh.append(row)
                stored.setdefault(item.account_id, []).append(row)
                accepted += 1
            outcomes.append((accepted, duplicates))
        tickets: list[tuple[Journal, Any]] = []
        if fresh:
            tickets = await asyncio.to_thread(self._note, stored)
            await asyncio.to_thread(self.storage.insert_json_rows, "events", _ENCODER.encode_lines(fresh))
            self.dedup.add(fresh_keys, now_ms)
            await asyncio.to_thread(self._fold, stored)
        for item, outcome in zip(batch, outcomes, strict=True):
            if not item.done.done():
                item.done.set_result(outcome)
        return stored, tickets

    def _fold(self, stored: dict[str, list[Row]]) -> None:
        """The session facts of what was stored (storage/facts.py), before the acknowledgement so
        an answer read after it counts these events. The events are stored whatever happens
        here: a failed fold is kept and tried again with the next insert."""
        for account_id, rows in stored.items():
            self._unfolded.setdefault(account_id, []).extend(
                {"session_id": r["session_id"], "ts_ms": r["ts_ms"]} for r in rows if r.get("session_id"))
        try:
            fold_sessions(self.storage, self._unfolded)
        except Exception:
            log.exception("session facts not updated; retried with the next insert")
            return
        self._unfolded = {}

    def _note(self, stored: dict[str, list[Row]]) -> list[tuple[Journal, Any]]:
        noted = [(journal, journal.note(stored)) for journal in self.journals]
        return [(journal, ticket) for journal, ticket in noted if ticket is not None]
