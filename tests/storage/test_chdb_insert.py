"""chdb's insert path: NDJSON rows streamed to chdb in chunks come back exactly as sent.

``ChdbStorage.insert_json_rows`` hands the rows to chdb's streaming insert in fixed-size chunks,
so a chunk boundary can fall anywhere: inside a row, a string, an escape or a multi-byte UTF-8
character. The script below forces tiny chunks to put boundaries everywhere. chdb allows one
data dir per process, so each case runs in its own.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.helpers import run_script

ROOT = Path(__file__).resolve().parents[2]

ROWS = [
    {"account_id": "acc", "ts": 1790000000, "ts_ms": 1790000000123, "received_ms": 1790000000999,
     "type": "view_start", "event_id": "e1", "session_id": "s1", "viewer": "v|ua",
     "user_agent": 'Mozilla/5.0 "quoted" \\ back\tslash', "city": "Zürich 東京 🎬", "bitrate_kbps": 4500,
     "buffer_ms": 1234.5, "dropped_frames": 0, "ad_duration_ms": 15000.0},
    {"account_id": "acc", "ts": 1790000060, "ts_ms": 1790000060000, "received_ms": 1790000060001,
     "type": "heartbeat", "event_id": "e2", "session_id": "s1", "played_ms": 60000,
     "bytes_cdn": 2**40, "content_name": "line one\nline two", "server_name": "é" * 300},
    {"account_id": "acc", "ts": 1790000120, "ts_ms": 1790000120000, "received_ms": 1790000120002,
     "type": "server_sync", "event_id": "", "session_id": "", "server_id": "edge-1"},
]
COLUMNS = ("ts_ms", "received_ms", "type", "event_id", "user_agent", "city", "bitrate_kbps", "buffer_ms",
           "dropped_frames", "ad_duration_ms", "played_ms", "bytes_cdn", "content_name", "server_name",
           "server_id", "channel_id")

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import msgspec
    from mediastats.storage import chdb_backend
    from mediastats.storage.base import StorageError

    data_dir, fsync, chunk, rows, columns = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3]), *json.loads(sys.argv[4])
    chdb_backend._INSERT_CHUNK = chunk
    storage = chdb_backend.ChdbStorage(Path(data_dir), fsync=fsync)
    storage.migrate()
    storage.insert_json_rows("events", msgspec.json.Encoder().encode_lines(rows))
    try:
        storage.insert_json_rows("events", b'{"account_id": "acc", "ts_ms": "not a number"}\\n')
        refused = None
    except StorageError as exc:
        refused = str(exc)[:200]
    # The store must still take inserts after a refused one (no half-open insert left behind).
    storage.insert_json_rows("events", b'{"account_id": "acc", "ts_ms": 5, "type": "heartbeat"}\\n')
    got = storage.query("SELECT " + ", ".join(columns) + " FROM {db}.events ORDER BY ts_ms")
    tables = storage.query(
        "SELECT name, create_table_query LIKE '%fsync_after_insert = 1%' FROM system.tables "
        "WHERE database = 'mediastats' AND engine LIKE '%MergeTree' ORDER BY name")
    print(json.dumps({"refused": refused, "rows": got.rows, "fsync": dict(tables.rows)}))
    storage.close()
    """
)


def _run(tmp_path: Path, fsync: bool, chunk: int) -> dict[str, object]:
    result: dict[str, object] = run_script(SCRIPT, str(tmp_path / "store"), "1" if fsync else "0", str(chunk),
                                           json.dumps([ROWS, COLUMNS]), cwd=ROOT)
    return result


def _expected() -> list[list[object]]:
    """What the store holds for ROWS, written out from the rows (absent columns: their defaults)."""
    defaults: dict[str, object] = {"bitrate_kbps": 0, "buffer_ms": None, "dropped_frames": None,
                                   "ad_duration_ms": 0, "played_ms": 0, "bytes_cdn": 0, "channel_id": ""}
    return [[5, 0, "heartbeat", "", "", "", 0, None, None, 0, 0, 0, "", "", "", ""]] + [
        [row.get(c, defaults.get(c, "")) for c in COLUMNS] for row in ROWS
    ]


@pytest.mark.parametrize(("fsync", "chunk"), [(False, 7), (True, 1 << 20)])
def test_rows_come_back_exactly_whatever_the_chunking(tmp_path: Path, fsync: bool, chunk: int) -> None:
    result = _run(tmp_path, fsync, chunk)
    assert result["rows"] == _expected()
    assert result["refused"] and "ts_ms" in str(result["refused"])
    # --fsync is a table setting: on every table an insert writes (events and what its views feed).
    fsynced = result["fsync"]
    assert isinstance(fsynced, dict) and {"events", "sessions"} <= set(fsynced)
    assert set(fsynced.values()) == {1 if fsync else 0}
