"""An insert killed between its ``events`` part and its views' parts is repaired at start-up
(storage/repair.py): the derived tables come back to what the events say.

chdb allows one store per process, so these run on the test server's store, each test with an
account of its own (a rebuild touches only the keys of the events in the marker's range)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest

from mediastats.storage.base import Storage
from mediastats.storage.facts import fold_sessions
from mediastats.storage.repair import MARKER, Derived, DerivedTablesJournal, derived_tables, repair_interrupted

T0 = 1_780_000_000_000  # ms


@pytest.fixture
def storage(server: Any) -> Storage:
    return server.services.storage  # type: ignore[no-any-return]


@pytest.fixture
def account() -> str:
    return f"repair-{uuid.uuid4().hex[:12]}"


def _rows(account: str, received_ms: int, sessions: range, played: int) -> list[dict[str, Any]]:
    rows = []
    for s in sessions:
        for k in range(3):
            ts_ms = T0 + s * 50_000 + k * 30_000
            rows.append({"account_id": account, "ts": ts_ms // 1000, "ts_ms": ts_ms, "received_ms": received_ms,
                         "type": "heartbeat", "event_id": f"e-{s}-{k}-{received_ms}", "session_id": f"s{s}",
                         "channel_id": f"ch{s % 2}", "stream_id": "live", "played_ms": played + k})
    return rows


def _insert(storage: Storage, rows: list[dict[str, Any]]) -> None:
    """As the ingest writer stores a batch: the events insert (its views with it), then the fold."""
    storage.insert_json_rows("events", b"".join(orjson.dumps(r) + b"\n" for r in rows))
    fold_sessions(storage, {rows[0]["account_id"]: rows})


def _snapshot(storage: Storage, account: str) -> dict[str, list[tuple[Any, ...]]]:
    """Each derived table read back per key, merged, next to the same figure from events."""
    mine = {"account": account}
    out = {
        "sessions": storage.query(
            "SELECT session_id, minMerge(first_ms), maxMerge(last_ms), sumMerge(played_ms), "
            "argMinIfMerge(channel_id) FROM {db}.sessions WHERE account_id = {account:String} "
            "GROUP BY session_id ORDER BY session_id", mine).rows,
        "events": storage.query(
            "SELECT session_id, min(ts_ms), max(ts_ms), sum(played_ms), any(channel_id) FROM {db}.events "
            "WHERE account_id = {account:String} GROUP BY session_id ORDER BY session_id", mine).rows,
    }
    for facts in ("session_facts", "session_facts_by_start"):  # the standing view of each session
        out[facts] = storage.query(
            f"SELECT session_id, first_ms, last_ms, played_ms, channel_id FROM {{db}}.{facts} "
            "WHERE account_id = {account:String} GROUP BY session_id, first_ms, last_ms, played_ms, channel_id "
            "HAVING sum(sign) = 1 ORDER BY session_id", mine).rows
    for derived in _rollups():
        out[derived.table] = storage.query(
            f"SELECT period, sum(played_ms), sum(n_events) FROM {{db}}.{derived.table} "
            "WHERE account_id = {account:String} GROUP BY period ORDER BY period", mine).rows
        out[f"events-by-{derived.table}"] = storage.query(
            f"SELECT {derived.key_exprs[1]} AS period, sum(played_ms), count() FROM {{db}}.events "
            "WHERE account_id = {account:String} GROUP BY period ORDER BY period", mine).rows
    return out


def _rollups() -> list[Derived]:
    return [d for d in derived_tables() if d.table.startswith("rollup_")]


def test_views_missing_an_insert_are_rebuilt_from_events(storage: Storage, account: str, tmp_path: Path) -> None:
    _insert(storage, _rows(account, T0 + 1, range(0, 6), played=1000))
    _insert(storage, _rows(account, T0 + 2, range(4, 10), played=7))  # sessions 4, 5 span both inserts
    truth = _snapshot(storage, account)
    assert truth["sessions"][4][3] == truth["events"][4][3] > 3000  # both inserts in session 4
    # The kill: the second insert's events part landed, its views' parts did not.
    for derived in derived_tables():
        keys = ", ".join(derived.key_exprs)
        storage.query(f"DELETE FROM {{db}}.{derived.table} WHERE ({', '.join(derived.key_columns)}) IN "
                      f"(SELECT DISTINCT {keys} FROM {{db}}.events WHERE received_ms = {T0 + 2} "
                      "AND account_id = {account:String})", {"account": account})
    broken = _snapshot(storage, account)
    assert broken["sessions"] != truth["sessions"] and broken["session_facts"] != truth["session_facts"]
    assert broken["session_facts_by_start"] != truth["session_facts_by_start"]
    (tmp_path / MARKER).write_bytes(orjson.dumps({"received_ms": [T0 + 2, T0 + 2]}))

    assert repair_interrupted(storage, tmp_path) == len(derived_tables())
    repaired = _snapshot(storage, account)
    assert repaired == truth
    assert repaired["sessions"] == repaired["session_facts"] == [tuple(r) for r in repaired["events"]]
    assert repaired["session_facts_by_start"] == repaired["session_facts"]
    for derived in _rollups():
        assert repaired[derived.table] == repaired[f"events-by-{derived.table}"]
    assert not (tmp_path / MARKER).exists()
    assert repair_interrupted(storage, tmp_path) == 0  # nothing left to do
    assert _snapshot(storage, account) == truth


def test_a_repair_of_complete_inserts_changes_nothing(storage: Storage, account: str, tmp_path: Path) -> None:
    _insert(storage, _rows(account, T0 + 1, range(0, 4), played=10))
    _insert(storage, _rows(account, T0 + 2, range(2, 8), played=20))
    truth = _snapshot(storage, account)
    (tmp_path / MARKER).write_bytes(orjson.dumps({"received_ms": [T0, T0 + 5]}))
    assert repair_interrupted(storage, tmp_path) == len(derived_tables())
    assert _snapshot(storage, account) == truth


def test_the_journal_marks_each_insert_until_it_is_done(tmp_path: Path) -> None:
    journal = DerivedTablesJournal(tmp_path, fsync=True)
    assert journal.note({}) is None and not (tmp_path / MARKER).exists()
    ticket = journal.note({"a": [{"received_ms": 5}, {"received_ms": 3}], "b": [{"received_ms": 9}]})
    assert ticket == (3, 9)
    assert orjson.loads((tmp_path / MARKER).read_bytes()) == {"received_ms": [3, 9]}
    journal.apply(ticket)
    assert not (tmp_path / MARKER).exists()


def test_a_torn_marker_is_dropped(storage: Storage, tmp_path: Path) -> None:
    (tmp_path / MARKER).write_bytes(b'{"received_')
    assert repair_interrupted(storage, tmp_path) == 0
    assert not (tmp_path / MARKER).exists()
