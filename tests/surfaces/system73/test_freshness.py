"""An acknowledged event is visible in ``time=live`` answers within 1 s (CONTRACT §3), on the
real clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from tests.conftest import Account, Clock


def test_live_sees_an_event_within_a_second_of_its_acknowledgement(account: Account, clock: Clock) -> None:
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    account.send([
        {"ts": now_ms - 2000, "type": "view_start", "session_id": "fresh", "channel_id": "news", "delivery": "p2p"},
        {"ts": now_ms - 1000, "type": "heartbeat", "session_id": "fresh", "played_ms": 1000, "bytes_p2p": 7500},
    ])
    acknowledged = time.monotonic()
    seen = None
    with account.server.client(headers={"Authorization": account.api_key}) as c:
        while time.monotonic() - acknowledged < 1.0:
            body = c.get("/system73/summary/agg", params={"time": "live"}).json()[0]
            if body["p2p_devices"] == 1:
                seen = time.monotonic() - acknowledged
                break
    assert seen is not None and seen < 1.0
    # 7500 B × 8 / 60 s = 1 kbps
    assert (body["p2p_throughput"], body["total_viewing_time"]) == (1, 1)
