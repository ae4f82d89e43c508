"""The push journal: what a committed insert must trigger survives a crash right after it.

Triggers need the rows an insert stored, and the insert and the outbox live in different
stores, so neither can be written in the other's transaction. The journal closes the gap:

1. ``note`` — before the insert, the rows that trigger pushes (``server_sync``,
   ``stream_publish``, ``stream_unpublish``) are written to ``push_journal`` in the metadata
   store. Nothing is acknowledged yet.
2. the insert; the request is acknowledged.
3. ``apply`` — one transaction deletes the journal entry and queues what it triggers. The
   delete is conditional, so whoever deletes it (this node, or a recovering one) is the only
   one that queues: a notification is queued exactly once.

A kill between 1 and 3, or a failed insert, leaves the entry. ``recover`` (at start-up and every half minute in the
push worker) applies entries whose rows are in the store and drops those whose insert never
happened (after ``ABANDON_MS``, so an insert still running on another node is not mistaken for
a failed one). A client that resends the batch is told "duplicates" by dedup, and its triggers
still run, once, from the journal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mediastats.push import triggers
from mediastats.push.tables import push_journal
from mediastats.query.buckets import to_ms
from mediastats.storage.base import Storage

log = logging.getLogger(__name__)

Row = dict[str, Any]
# An insert that has not landed after this long never will (the writer gave up or died).
ABANDON_MS = 10 * 60 * 1000
# Entries younger than this belong to an insert that may still be running on a live node.
RECOVER_AFTER_MS = 30_000
# What recovery needs to find an entry's rows in the store and to trigger from them.
_KEPT = ("type", "ts_ms", "received_ms", "event_id", "server_id", "server_name", "channel_id",
         "stream_id", "stream_uri", "protocol", "remote_ip", "publish_type")


class PushJournal:
    """The ``GroupCommitWriter`` journal of the push triggers (see ``ingest/writer.py``)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        self.applied = 0  # entries this process applied (tests and logs)

    def note(self, stored: Mapping[str, list[Row]]) -> list[int] | None:
        entries = [(account_id, relevant) for account_id, rows in stored.items()
                   if (relevant := triggers.relevant_rows(rows))]
        if not entries:
            return None
        now_ms = to_ms(self.clock())
        with self.engine.begin() as conn:
            ids = []
            for account_id, rows in entries:
                inserted = conn.execute(push_journal.insert().values(
                    account_id=account_id, rows=_encode(rows), created_ms=now_ms,
                )).inserted_primary_key
                assert inserted is not None
                ids.append(int(inserted[0]))
            return ids

    def apply(self, ticket: list[int]) -> None:
        for entry_id in ticket:
            if apply_entry(self.engine, entry_id):
                self.applied += 1


def apply_entry(engine: Engine, entry_id: int) -> bool:
    """Queue what one entry triggers, in the transaction that deletes it; False if another
    process got there first. The triggers happen at the moment the entry was noted (the
    insert's), not when it is applied: a stream notification's second is the ingest's."""
    with engine.begin() as conn:
        entry = conn.execute(sa.select(push_journal).where(push_journal.c.id == entry_id)).mappings().first()
        if entry is None:
            return False
        if not conn.execute(push_journal.delete().where(push_journal.c.id == entry_id)).rowcount:
            return False
        moment = datetime.fromtimestamp(entry["created_ms"] / 1000, UTC)
        triggers.on_stored_rows(conn, engine, str(entry["account_id"]), orjson.loads(entry["rows"]), moment)
    return True


def recover(engine: Engine, storage: Storage, now: datetime, *, min_age_ms: int = RECOVER_AFTER_MS) -> int:
    """Apply the entries a crash left whose rows are stored; drop the abandoned ones.
    Returns how many entries were applied."""
    now_ms = to_ms(now)
    with engine.connect() as conn:
        entries = conn.execute(
            sa.select(push_journal).where(push_journal.c.created_ms <= now_ms - min_age_ms).order_by(push_journal.c.id)
        ).mappings().all()
    applied = 0
    for entry in entries:
        rows: list[Row] = orjson.loads(entry["rows"])
        if rows_stored(storage, str(entry["account_id"]), rows):
            applied += apply_entry(engine, int(entry["id"]))
        elif entry["created_ms"] <= now_ms - ABANDON_MS:
            with engine.begin() as conn:
                conn.execute(push_journal.delete().where(push_journal.c.id == entry["id"]))
    if applied:
        log.info("push journal: applied %d entries left by an interrupted insert", applied)
    return applied


def rows_stored(storage: Storage, account_id: str, rows: list[Row]) -> bool:
    """Whether the insert that carried ``rows`` landed (an insert lands whole or not at all).

    ``received_ms`` is stamped per request at ingest, so together with the event times it
    names these rows; a resent copy of the batch would carry a later ``received_ms``."""
    result = storage.query(
        "SELECT count() FROM {db}.events WHERE account_id = {account:String} "
        "AND received_ms IN {received:Array(Int64)} AND ts_ms IN {ts:Array(Int64)} "
        "AND type IN {types:Array(String)}",
        {
            "account": account_id,
            "received": sorted({int(r["received_ms"]) for r in rows}),
            "ts": sorted({int(r["ts_ms"]) for r in rows}),
            "types": sorted(triggers.TRIGGER_TYPES),
        },
    )
    return bool(result.rows and int(result.rows[0][0]) > 0)


def _encode(rows: list[Row]) -> str:
    return orjson.dumps([{k: row.get(k) for k in _KEPT} for row in rows]).decode()
