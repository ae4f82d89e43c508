"""What ingest reads back from the store: recent event ids (dedup) and session attributes
(after a restart). Parameters are bound, never formatted."""

from __future__ import annotations

from typing import Any

from mediastats.ingest.dedup import WINDOW_MS
from mediastats.ingest.enrich import CANONICAL_COLUMNS, VENDOR_COLUMNS
from mediastats.ingest.normalize import FIRST_WINS, LATEST_WINS
from mediastats.storage.base import Storage
from mediastats.storage.schema import SESSION_COLUMNS, SESSION_MERGE

_STORED = {name for name, _, _ in SESSION_COLUMNS}


def recent_event_ids(storage: Storage, now_ms: int) -> list[tuple[str, str]]:
    result = storage.query(
        "SELECT toString(account_id), event_id FROM {db}.events "
        "WHERE event_id != '' AND received_ms >= {since:Int64} ORDER BY received_ms",
        {"since": now_ms - WINDOW_MS},
    )
    return [(str(a), str(e)) for a, e in result.rows]


def stored_event_ids(storage: Storage, account_id: str, ids: list[str], since_ms: int) -> set[str]:
    result = storage.query(
        "SELECT DISTINCT event_id FROM {db}.events WHERE account_id = {account:String} "
        "AND event_id IN {ids:Array(String)} AND received_ms >= {since:Int64}",
        {"account": account_id, "ids": ids, "since": since_ms},
    )
    return {str(r[0]) for r in result.rows}


def load_sessions(storage: Storage, account_id: str, session_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Attributes of stored sessions, in the shape ``normalize.session_attributes`` keeps."""
    names = [n for n in (*FIRST_WINS, *LATEST_WINS, *CANONICAL_COLUMNS, *VENDOR_COLUMNS, "viewer") if n in _STORED]
    names = list(dict.fromkeys(names))
    select = ", ".join(f"{SESSION_MERGE[n]} AS {n}" for n in names)
    result = storage.query(
        f"SELECT session_id, {select} FROM {{db}}.sessions WHERE account_id = {{account:String}} "
        "AND session_id IN {ids:Array(String)} GROUP BY session_id",
        {"account": account_id, "ids": session_ids},
    )
    found: dict[str, dict[str, Any]] = {}
    for row in result.dicts():
        attrs = {k: v for k, v in row.items() if k != "session_id" and v not in ("", 0)}
        attrs["enriched"] = {k: row.get(k, "") for k in dict.fromkeys((*CANONICAL_COLUMNS, *VENDOR_COLUMNS))}
        attrs["enriched_from"] = (attrs.get("user_agent"), attrs.get("ip"), attrs.get("protocol"))
        found[str(row["session_id"])] = attrs
    return found
