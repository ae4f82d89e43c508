"""``session_facts``: every view as one plain row, so view metrics sum signs instead of merging
the sessions table's aggregate states per query (schema.SESSION_FACTS).

Ingest keeps it exact (``fold_sessions``, called by the writer after each insert and before the
acknowledgement): for every session the insert touched, the standing row is written again with
sign -1 and the session's merged state from ``sessions`` with sign +1. The two reads are cheap
by key: the standing row by ``(account_id, session_id)``, the merged state within the hours
between the session's first and last event (the standing row's, widened by the insert's).

Queries read ``session_facts_by_start``, a copy sorted by view start that a materialized view
writes from every insert here (migration 7).

``backfill_inserts`` writes the rows from scratch (migration 5; ``rebuild`` after a bulk load);
``storage/repair.py`` rebuilds the sessions of an interrupted insert like its other derived
tables. Folds must not run concurrently for one session: one writer per store does them (the
group-commit writer of a ``serve``; several ``serve`` nodes writing one cluster each fold the
sessions they ingest, so a session's events must reach one node — see docs/deploy.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from mediastats.storage.base import Storage, StorageError
from mediastats.storage.schema import (
    FACT_VALUES,
    FACTS_BY_START_SELECT,
    SESSION_FACTS,
    SESSION_FACTS_BY_START,
    SESSION_FROM_EVENTS,
    SESSION_MERGE,
)

Row = dict[str, Any]
_ENCODER = msgspec.json.Encoder()
_COLUMNS = ", ".join(name for name, _ in SESSION_FACTS.columns)
_HOUR_MS = 3_600_000
# The backfill merges a sixteenth of the sessions at a time (bounded memory on big stores).
BACKFILL_CHUNKS = 16


def merged_select(db: str, source: str, where: str = "", *, from_events: bool = False) -> str:
    """One +1 row per session of ``source`` matching ``where``: a sessions table's states merged,
    or (``from_events``) the same values from the session's events (storage/repair.py)."""
    aggregates, account = (SESSION_FROM_EVENTS, "toString(account_id) AS account_id") if from_events \
        else (SESSION_MERGE, "account_id")
    merged = ", ".join(f"{aggregates[name]} AS {name}" for name in FACT_VALUES)
    condition = f" WHERE {where}" if where else ""
    return (
        f"SELECT {account}, session_id, toInt8(1) AS sign, {merged} FROM {db}.{source}{condition}"
        " GROUP BY account_id, session_id"
    )


def backfill_inserts(db: str, target: str = SESSION_FACTS.name, source: str = "sessions") -> list[str]:
    """Every view of ``source`` written into ``target`` (empty), a slice of sessions at a time."""
    return [
        f"INSERT INTO {db}.{target} ({_COLUMNS}) "
        + merged_select(db, source, f"cityHash64(session_id) % {BACKFILL_CHUNKS} = {k}")
        for k in range(BACKFILL_CHUNKS)
    ]


def facts_by_start_backfill(
    db: str, target: str = SESSION_FACTS_BY_START.name, source: str = SESSION_FACTS.name
) -> str:
    """Every row of the facts table ``source`` copied into ``target``, a ``session_facts_by_start``
    table (empty): what its materialized view would have written."""
    columns = ", ".join(name for name, _ in SESSION_FACTS_BY_START.columns)
    return f"INSERT INTO {db}.{target} ({columns}) " + FACTS_BY_START_SELECT.format(db=db, source=source)


def rebuild(storage: Storage) -> None:
    """The facts of a store loaded in bulk without ingest (a bench's generated events): both
    tables emptied, then the facts written from the sessions table (the view copies them)."""
    for table in (SESSION_FACTS, SESSION_FACTS_BY_START):
        storage.query(f"TRUNCATE TABLE {{db}}.{table.name}")
    for statement in backfill_inserts("{db}"):
        storage.query(statement)


def fold_sessions(storage: Storage, stored: Mapping[str, list[Row]]) -> int:
    """Bring the facts of every session in ``stored`` (account → inserted events rows) up to
    date; returns how many rows were written. Raises StorageError, writing nothing for that
    account, when the sessions read back do not hold the inserted events (see ``_check_read``)."""
    written = 0
    for account_id, rows in stored.items():
        spans: dict[str, tuple[int, int]] = {}
        for r in rows:
            if r.get("session_id"):
                sid, ts = str(r["session_id"]), int(r["ts_ms"])
                lo, hi = spans.get(sid, (ts, ts))
                spans[sid] = (min(lo, ts), max(hi, ts))
        if spans:
            written += _fold(storage, account_id, spans)
    return written


def _check_read(account_id: str, spans: Mapping[str, tuple[int, int]], current: list[Row]) -> None:
    """Every inserted event lies within its session's merged first and last event. A read that
    says otherwise came from a replica the insert has not reached yet (a cluster's standby just
    after a failover): folding it would write a view without those events, or none at all."""
    merged = {str(r["session_id"]): (int(r["first_ms"]), int(r["last_ms"])) for r in current}
    behind = [sid for sid, (lo, hi) in spans.items()
              if sid not in merged or merged[sid][0] > lo or merged[sid][1] < hi]
    if behind:
        raise StorageError(
            f"the sessions of {len(behind)} views just inserted for account {account_id} are not readable yet"
            " (a replica behind the insert?); their facts are folded again with the next insert")


def _fold(storage: Storage, account_id: str, spans: Mapping[str, tuple[int, int]]) -> int:
    ids = sorted(spans)
    lo_ms = min(lo for lo, _ in spans.values())
    hi_ms = max(hi for _, hi in spans.values())
    values = ", ".join(FACT_VALUES)
    standing = storage.query(
        f"SELECT account_id, session_id, {values} FROM {{db}}.{SESSION_FACTS.name}"
        " WHERE account_id = {account:String} AND session_id IN {ids:Array(String)}"
        f" GROUP BY account_id, session_id, {values} HAVING sum(sign) > 0",
        {"account": account_id, "ids": ids},
    ).dicts()
    for row in standing:
        lo_ms, hi_ms = min(lo_ms, int(row["first_ms"])), max(hi_ms, int(row["last_ms"]))
    current = storage.query(
        merged_select("{db}", "sessions", "account_id = {account:String}"
                      " AND hour >= toDateTime({lo:UInt32}) AND hour <= toDateTime({hi:UInt32})"
                      " AND session_id IN {ids:Array(String)}"),
        {"account": account_id, "ids": ids,
         "lo": lo_ms // _HOUR_MS * 3600, "hi": hi_ms // _HOUR_MS * 3600},
    ).dicts()
    _check_read(account_id, spans, current)
    rows = [{**row, "sign": -1} for row in standing] + current
    if rows:
        storage.insert_json_rows(SESSION_FACTS.name, _ENCODER.encode_lines(rows))
    return len(rows)
