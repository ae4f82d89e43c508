"""Four views you can count by hand, around a pinned "now" (2026-11-23 12:00:02 UTC).

``time=live`` points are 5 s buckets from 11:59:05 to 12:00:00 (12 points, the last partial).

    view  channel/stream  delivery        bitrate/rep      os       platform  connection  events (s past 11:59)
    a     ch1/s1          cdn             4000 "2 of 4"    MAC      CHROME    WIFI        41 start, 46 hb, 51 hb
    d     ch1/s1          cdn             4000 "2 of 4"    MAC      FIREFOX   WIFI        42 start, 47 hb
    b     ch1/s1          p2p             2000 "1 of 4"    WINDOWS  CHROME    ETHERNET    41 start, 46 hb
    c     ch2/s9          not_compatible  (none)           ANDROID  ANDROID   CELLULAR    56 start, 61 hb

Heartbeat measures (played ms, rebuffer ms, bytes cdn / p2p, buffer ms, rtt ms, fill rate, dropped):
a@46 5000, 0, 750000/0, 1000, 20, 1.5, 2;  a@51 5000, 0, 750000/0, 3000, 40, 2.5, 0;
d@47 1000, 0, 0/0, 2000, 30, 0.5, 1;  b@46 4000, 1000, 375000/1500000, 500, 10, 0.5, 1;
c@61 1000, 0, 150000/0, no samples.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

NOW = datetime(2026, 11, 23, 12, 0, 2, tzinfo=UTC)
MINUTE_START = datetime(2026, 11, 23, 11, 59, tzinfo=UTC)
URI = "http://cdn.example/s1.m3u8"


def ms(second: int) -> int:
    """Epoch ms of ``second`` seconds past 11:59:00."""
    return int((MINUTE_START + timedelta(seconds=second)).timestamp() * 1000)


def live_points() -> list[int]:
    """The 12 ``datetime`` values of a ``time=live`` answer at NOW."""
    return [ms(5 + 5 * i) for i in range(12)]


def _start(sid: str, second: int, **attrs: Any) -> dict[str, Any]:
    return {"ts": ms(second), "type": "view_start", "session_id": sid, "event_id": f"{sid}-start", **attrs}


def _beat(sid: str, second: int, **measures: Any) -> dict[str, Any]:
    return {"ts": ms(second), "type": "heartbeat", "session_id": sid, "event_id": f"{sid}-{second}", **measures}


S1 = {"channel_id": "ch1", "stream_id": "s1", "stream_uri": URI}
EVENTS: list[dict[str, Any]] = [
    _start("a", 41, **S1, delivery="cdn", bitrate_kbps=4000, representation_id="2 of 4",
           os="MAC", platform="CHROME", connection_type="WIFI"),
    _beat("a", 46, played_ms=5000, bytes_cdn=750_000, buffer_ms=1000, request_rtt_ms=20,
          buffer_fill_rate=1.5, dropped_frames=2),
    _beat("a", 51, played_ms=5000, bytes_cdn=750_000, buffer_ms=3000, request_rtt_ms=40,
          buffer_fill_rate=2.5, dropped_frames=0),
    _start("d", 42, **S1, delivery="cdn", bitrate_kbps=4000, representation_id="2 of 4",
           os="MAC", platform="FIREFOX", connection_type="WIFI"),
    _beat("d", 47, played_ms=1000, buffer_ms=2000, request_rtt_ms=30, buffer_fill_rate=0.5, dropped_frames=1),
    _start("b", 41, **S1, delivery="p2p", bitrate_kbps=2000, representation_id="1 of 4",
           os="WINDOWS", platform="CHROME", connection_type="ETHERNET"),
    _beat("b", 46, played_ms=4000, rebuffer_ms=1000, bytes_cdn=375_000, bytes_p2p=1_500_000,
          buffer_ms=500, request_rtt_ms=10, buffer_fill_rate=0.5, dropped_frames=1),
    _start("c", 56, channel_id="ch2", stream_id="s9", delivery="not_compatible",
           os="ANDROID", platform="ANDROID", connection_type="CELLULAR"),
    _beat("c", 61, played_ms=1000, bytes_cdn=150_000),
]
