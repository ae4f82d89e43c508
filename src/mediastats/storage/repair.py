"""Materialized views after a kill: rebuild what an interrupted insert left half-derived.

ClickHouse writes an insert's ``events`` part and then the parts of the tables its
materialized views feed (``sessions``, the rollups), each committed on its own. A kill between
them — the embedded store dies with ``serve`` — leaves events that the derived tables never saw,
and every answer read from those tables would miss them for good. (A ClickHouse server finishes
an insert it has received even when the client dies, so this concerns chdb.)

``DerivedTablesJournal`` is a ``GroupCommitWriter`` journal (``ingest/writer.py``): before each
insert it records the ``received_ms`` range of the rows in ``inflight.json`` (fsynced), and
removes it after. If ``serve`` finds the file at start-up, ``repair_interrupted`` rebuilds the
derived rows of every key those events touch — each (account, hour, session) of ``sessions``,
each (account, session) of ``session_facts`` and of its copy by view start, each (account, period) of the rollups — from
``events``: delete them, insert them again from the view's own SELECT (for the facts, which ingest
folds after the insert, the same merge over the session's events). The insert lands whole or
not at all, so the range names its rows either way; other inserts in the range are complete and
their keys rebuild to what they were. A kill during the repair leaves the file, and the next
start repairs again (a rebuild is idempotent).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from mediastats.storage.base import Storage
from mediastats.storage.facts import merged_select
from mediastats.storage.schema import ROLLUPS, SESSION_FACTS, SESSION_FACTS_BY_START, SESSIONS, SESSIONS_VIEW_SELECT

log = logging.getLogger(__name__)

Row = dict[str, Any]
MARKER = "inflight.json"
_SOURCE = "repair_source"  # a temporary view: the events of the keys being rebuilt


@dataclass(frozen=True)
class Derived:
    """A table fed from ``events`` by a materialized view, and how its rows are keyed."""

    table: str
    key_columns: tuple[str, ...]  # in the derived table
    key_exprs: tuple[str, ...]  # the same values computed from an events row
    # (db, source table) → the view's SELECT; None for a table fed by a view of the next one
    # (its rows are deleted here, and written again by that view when the next one is rebuilt).
    select: Callable[[str, str], str] | None


def derived_tables() -> tuple[Derived, ...]:
    derived = [Derived(
        SESSIONS.name, ("account_id", "hour", "session_id"),
        ("toString(account_id)", "toStartOfHour(ts)", "session_id"),
        lambda db, source: SESSIONS_VIEW_SELECT.format(db=db, source=source),
    )]
    # The facts' copy by view start, before the facts, whose rebuilt rows its view copies.
    derived.append(Derived(SESSION_FACTS_BY_START.name, ("account_id", "session_id"),
                           ("toString(account_id)", "session_id"), None))
    # A view's facts row straight from its events (the same values as merging its sessions rows).
    derived.append(Derived(
        SESSION_FACTS.name, ("account_id", "session_id"), ("toString(account_id)", "session_id"),
        lambda db, source: merged_select(db, source, "session_id != ''", from_events=True),
    ))
    for rollup in ROLLUPS:
        derived.append(Derived(rollup.table.name, ("toString(account_id)", "period"),
                               ("toString(account_id)", rollup.period_sql), rollup.view_select))
    return tuple(derived)


class DerivedTablesJournal:
    def __init__(self, data_dir: Path, *, fsync: bool = True) -> None:
        self.path = data_dir / MARKER
        self.fsync = fsync

    def note(self, stored: Mapping[str, list[Row]]) -> tuple[int, int] | None:
        received = [int(row["received_ms"]) for rows in stored.values() for row in rows]
        if not received:
            return None
        span = (min(received), max(received))
        _write(self.path, orjson.dumps({"received_ms": list(span)}), fsync=self.fsync)
        return span

    def apply(self, ticket: tuple[int, int]) -> None:
        self.path.unlink(missing_ok=True)


def repair_interrupted(storage: Storage, data_dir: Path) -> int:
    """Rebuild what the insert in flight at a kill left half-derived; returns how many derived
    tables were rebuilt (0 when the last insert finished)."""
    path = data_dir / MARKER
    try:
        lo, hi = (int(v) for v in orjson.loads(path.read_bytes())["received_ms"])
    except FileNotFoundError:
        return 0
    except (ValueError, KeyError, TypeError):  # torn write: the insert had not started
        path.unlink(missing_ok=True)
        return 0
    rebuilt = rebuild_derived(storage, lo, hi)
    path.unlink(missing_ok=True)
    log.warning("rebuilt %d derived tables for events received %d–%d (an insert was interrupted)",
                rebuilt, lo, hi)
    return rebuilt


def rebuild_derived(storage: Storage, lo_ms: int, hi_ms: int) -> int:
    """Recompute, from ``events``, the derived rows of every key that events received in
    [lo_ms, hi_ms] touch. The bounds are integers from our own marker file."""
    done = 0
    for derived in derived_tables():
        keys = (f"SELECT DISTINCT {', '.join(derived.key_exprs)} FROM {{db}}.events "
                f"WHERE received_ms BETWEEN {int(lo_ms)} AND {int(hi_ms)}")
        storage.query(f"DELETE FROM {{db}}.{derived.table} WHERE ({', '.join(derived.key_columns)}) IN ({keys})")
        done += 1
        if derived.select is None:
            continue
        storage.query(f"DROP VIEW IF EXISTS {{db}}.{_SOURCE}")
        storage.query(
            f"CREATE VIEW {{db}}.{_SOURCE} AS SELECT * FROM {{db}}.events "
            f"WHERE ({', '.join(derived.key_exprs)}) IN ({keys})"
        )
        try:
            storage.query(f"INSERT INTO {{db}}.{derived.table} " + derived.select("{db}", _SOURCE))
        finally:
            storage.query(f"DROP VIEW IF EXISTS {{db}}.{_SOURCE}")
    return done


def _write(path: Path, data: bytes, *, fsync: bool) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        if fsync:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)
