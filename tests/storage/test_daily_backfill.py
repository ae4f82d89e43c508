"""Migration 4 on a store that already holds events: the daily rollups are summed from the hourly
ones (not re-read from events) and must hold exactly what the events say, once; events stored
after it reach them through their materialized views."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.helpers import run_script

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from mediastats.storage import chdb_backend, migrations
    from mediastats.storage.chdb_backend import ChdbStorage

    def rows(account, first_ms, n):
        return "\\n".join(json.dumps({
            "account_id": account, "ts": first_ms // 1000 + i * 3700, "ts_ms": first_ms + i * 3_700_000,
            "type": "heartbeat", "session_id": f"{account}-{i % 3}", "played_ms": 1000 + i, "bytes_cdn": 7 * i,
            "os": ["iOS", "Android"][i % 2], "channel_id": f"ch{i % 2}", "buffer_ms": float(i),
        }) for i in range(n)).encode()

    storage = ChdbStorage(Path(sys.argv[1]))
    chdb_backend.MIGRATIONS = {v: f for v, f in migrations.MIGRATIONS.items() if v < 4}
    storage.migrate()
    storage.insert_json_rows("events", rows("acc", 1789862400000, 60))  # 60 events over ~2.6 days
    chdb_backend.MIGRATIONS = migrations.MIGRATIONS
    storage.migrate()  # version 4: the daily tables, their views, the backfill from the hourly rows
    storage.insert_json_rows("events", rows("acc", 1790121600000, 30))  # after: through the views
    out = {}
    for table in ("rollup_streams_1d", "rollup_devices_1d"):
        dims = "channel_id" if "streams" in table else "channel_id, os"
        key = f"toDate(period), {dims}"
        out[table] = storage.query(
            f"SELECT {key}, sum(n_events), sum(played_ms), sum(bytes_cdn), sum(buffer_ms_sum), sum(buffer_ms_n) "
            f"FROM {{db}}.{table} GROUP BY {key} ORDER BY {key}").rows
        ev = f"toDate(intDiv(ts_ms, 86400000) * 86400), {dims}"
        out[table + " from events"] = storage.query(
            f"SELECT {ev}, count(), sum(played_ms), sum(bytes_cdn), sum(ifNull(buffer_ms, 0)), count(buffer_ms) "
            f"FROM {{db}}.events GROUP BY {ev} ORDER BY {ev}").rows
    print(json.dumps(out, default=str))
    storage.close()
    """
)


def test_daily_rollups_backfilled_from_hourly_ones_hold_every_event_once(tmp_path: Path) -> None:
    out = run_script(SCRIPT, str(tmp_path / "data"))
    for table in ("rollup_streams_1d", "rollup_devices_1d"):
        assert out[table] == out[table + " from events"]
        assert sum(row[-5] for row in out[table]) == 90  # every event once: 60 backfilled, 30 by the views
        assert len({row[0] for row in out[table]}) == 5  # days: ~2.6 backfilled + ~1.3 later, none merged away
