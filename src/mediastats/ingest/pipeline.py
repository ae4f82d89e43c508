"""Ingestion as a pipeline of small named steps (Plausible's ``pipeline/0``):

    decode → validate → normalize (session attributes) → enrich → dedup → write

Each step takes a batch and records rejections by index; valid events of a batch are kept
whatever their neighbours do. ``Ingestor.ingest_body`` is what ``POST /v1/events`` calls;
``ingest_dicts`` is the door for other decoders (CMCD).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec
import orjson

from mediastats.ingest.cmcd import CmcdSessionTracker
from mediastats.ingest.decode import decode_all_valid, decode_valid_array, decompress, split_events
from mediastats.ingest.dedup import DedupIndex
from mediastats.ingest.enrich import Enricher
from mediastats.ingest.normalize import SessionCache, normalize_batch
from mediastats.ingest.store_reads import load_sessions, recent_event_ids, stored_event_ids
from mediastats.ingest.validate import Rejected, Valid, check, validate
from mediastats.ingest.writer import GroupCommitWriter
from mediastats.model.event import Event
from mediastats.storage.base import Storage


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


class Ingestor:
    def __init__(
        self,
        storage: Storage,
        enricher: Enricher,
        *,
        clock_ms: Callable[[], int] = lambda: int(time.time() * 1000),
        shared_store: bool = False,
    ) -> None:
        """``shared_store``: other ``serve`` nodes insert into the same store (dedup asks it)."""
        self.storage = storage
        self.enricher = enricher
        self.clock_ms = clock_ms
        self.sessions = SessionCache()
        self.dedup = DedupIndex(store_lookup=lambda a, ids, since: stored_event_ids(storage, a, ids, since),
                                shared_store=shared_store)
        self.writer = GroupCommitWriter(storage, self.dedup, clock_ms=clock_ms)
        # Play state of CMCD sessions between reports (CMCD carries no deltas).
        self.cmcd_tracker = CmcdSessionTracker()

    def restore(self) -> int:
        """Reload the dedup index from the store (start-up); returns how many ids it knows."""
        now_ms = self.clock_ms()
        self.dedup.add(recent_event_ids(self.storage, now_ms), now_ms)
        return len(self.dedup)

    async def ingest_body(
        self, account_id: str, body: bytes, content_type: str | None, content_encoding: str | None
    ) -> IngestResult:
        """Raises ``BodyError`` (400/413) when the whole body is refused."""
        plain = decompress(body, content_encoding)
        decoded = decode_valid_array(plain, content_type)
        if decoded is not None:
            return await self._ingest(account_id, decoded)
        return await self._ingest(account_id, split_events(plain, content_type))

    async def ingest_dicts(self, account_id: str, events: list[dict[str, Any]]) -> IngestResult:
        """Events from another decoder (CMCD, the demo): no body limits, the same steps."""
        decoded = decode_all_valid(orjson.dumps(events))
        if decoded is not None:
            return await self._ingest(account_id, decoded)
        return await self._ingest(account_id, [msgspec.Raw(orjson.dumps(e)) for e in events])

    async def _ingest(self, account_id: str, items: Sequence[msgspec.Raw | Event]) -> IngestResult:
        now_ms = self.clock_ms()
        result = IngestResult()
        valid: list[Valid] = []
        for index, item in enumerate(items):
            outcome = check(index, item, now_ms) if isinstance(item, Event) else validate(index, item, now_ms)
            if isinstance(outcome, Rejected):
                result.rejected.append({"index": outcome.index, "error": outcome.error})
            else:
                valid.append(outcome)
        rows = normalize_batch(
            account_id,
            valid,
            self.sessions,
            self.enricher,
            now_ms,
            load_sessions=lambda a, ids: load_sessions(self.storage, a, ids),
        )
        result.accepted, result.duplicates = await self.writer.write(account_id, rows)
        return result
