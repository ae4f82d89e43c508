"""Column codecs (migration 3): on chdb's DDL only, and applied to a data dir made before them.

ClickHouse 18.16 has no CODEC clause (CLUSTER.md), so the single-server and cluster DDL of every
version must stay without one; chdb's carries the codec of every ``events`` column.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from mediastats.storage.migrations import (
    CLUSTER_MIGRATIONS,
    MIGRATIONS,
    chdb_statements,
    cluster_statements,
    server_statements,
)
from mediastats.storage.schema import EVENT_CODECS, EVENT_COLUMN_NAMES

ROOT = Path(__file__).resolve().parents[2]


def test_every_event_column_has_a_codec_on_chdb() -> None:
    assert set(EVENT_CODECS) == set(EVENT_COLUMN_NAMES)
    (alter,) = chdb_statements(3, "db")
    assert alter.startswith("ALTER TABLE db.events ")
    assert "MODIFY COLUMN ts_ms Int64 CODEC(Delta, ZSTD(1))" in alter
    assert "MODIFY COLUMN bytes_cdn UInt64 CODEC(T64, ZSTD(1))" in alter
    assert "MODIFY COLUMN user_agent String CODEC(ZSTD(3))" in alter
    assert "MODIFY COLUMN os LowCardinality(String) CODEC(ZSTD(1))" in alter
    assert alter.count("MODIFY COLUMN") == len(EVENT_COLUMN_NAMES)


def test_server_and_cluster_ddl_has_no_codec() -> None:
    assert set(MIGRATIONS) == set(CLUSTER_MIGRATIONS)
    for version in sorted(MIGRATIONS):
        ddl = server_statements(version, "db") + cluster_statements(version, "db", "two_shards")
        assert not [s for s in ddl if "CODEC" in s.upper()], f"version {version}"
    assert server_statements(3, "db") == [] and cluster_statements(3, "db", "c") == []


# chdb allows one data dir per process: each step runs in its own.
_MAKE_V1 = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from mediastats.storage import chdb_backend, migrations
    chdb_backend.MIGRATIONS = {1: migrations.MIGRATIONS[1]}  # a data dir from before versions 2 and 3
    storage = chdb_backend.ChdbStorage(Path(sys.argv[1]))
    storage.migrate()
    rows = "\\n".join(
        '{"account_id": "a", "ts": %d, "ts_ms": %d, "type": "heartbeat", "session_id": "s%d", "played_ms": 1000}'
        % (1790000000 + i, 1790000000000 + i * 1000, i % 7) for i in range(500)
    )
    storage.insert_json_rows("events", rows.encode())
    storage.close()
    """
)
_UPGRADE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from mediastats.storage.chdb_backend import ChdbStorage
    storage = ChdbStorage(Path(sys.argv[1]))
    storage.migrate()
    codecs = dict(storage.query(
        "SELECT name, compression_codec FROM system.columns WHERE database = 'mediastats' AND table = 'events'").rows)
    print(json.dumps({
        "versions": [r[0] for r in storage.query("SELECT version FROM {db}.schema_migrations ORDER BY version").rows],
        "codecs": codecs,
        "events": storage.query("SELECT count(), sum(played_ms) FROM {db}.events").rows[0],
        "sessions": storage.query("SELECT uniqExact(session_id) FROM {db}.sessions").scalar(),
        "facts": storage.query("SELECT sum(sign), uniqExact(session_id) FROM {db}.session_facts").rows[0],
    }))
    """
)


def _run(script: str, data_dir: Path) -> str:
    done = subprocess.run([sys.executable, "-c", script, str(data_dir)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_migration_3_applies_to_an_existing_v1_data_dir(tmp_path: Path) -> None:
    _run(_MAKE_V1, tmp_path)
    answer = json.loads(_run(_UPGRADE, tmp_path).strip().splitlines()[-1])
    assert answer["versions"] == sorted(MIGRATIONS)
    assert answer["events"] == [500, 500_000]  # the rows written before the upgrade are all there
    assert answer["sessions"] == 7
    assert answer["facts"] == [7, 7]  # migration 5 wrote one standing row per view
    assert answer["codecs"]["ts_ms"] == "CODEC(Delta(8), ZSTD(1))"
    assert answer["codecs"]["bytes_cdn"] == "CODEC(T64, ZSTD(1))"
    assert answer["codecs"]["session_id"] == "CODEC(ZSTD(3))"
