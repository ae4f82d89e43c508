"""Bulk events for bench/scale.py, generated inside chdb: ``INSERT INTO events SELECT … FROM
numbers(first, count)``, one row per session expanded by ``ARRAY JOIN range(beats)``.

Generating in the store skips building and parsing JSON rows in Python (bench/datagen.py), and
because the rows go through an ordinary INSERT into ``events``, the materialized views
(``sessions_mv`` and the rollups) fire exactly as they do for real ingest.

What a session looks like (everything is a ``cityHash64`` of the session number, so a run is
repeatable; ``seed`` changes the view lengths):
- it starts on one of ``days`` days, at an hour drawn from a prime-time curve (peak 20:00 UTC);
- ``view_start``, then an event every ~30 s (heartbeats with ``played_ms`` ≈ 30 s, bytes from the
  rendition's bitrate, occasional rebuffering, buffer and RTT samples), 60 % short views (1–10 min)
  and 40 % long ones (10–60 min), most ending with ``view_end``;
- 30 % of the longer views run an ad funnel (opportunity → request → response → asset →
  impression, some dropping off before the asset);
- a channel from ``channels`` (skewed: low numbers are popular), one of 8 edge servers, a viewer
  from a pool a third the size of the sessions (30 % with a ``viewer_id``, else ip + user agent),
  a device of six, one of seven countries, CDN / P2P / not-compatible delivery.
The vendor vocabulary columns are filled as enrichment would fill them for those devices.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from bench.datagen import COUNTRIES, DEVICES
from mediastats.storage.schema import EVENT_COLUMN_NAMES

EVENTS_PER_SESSION = 0.6 * (2 + 20) / 2 + 0.4 * (21 + 120) / 2  # mean of the two length classes
HEARTBEAT_MS = 30_000
USER_AGENTS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
    "Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
    "Safari/605.1.15",
    "Roku/DVP-12.5 (12.5.0.4178-46)",
    "ExoPlayerLib/2.19.1 (Linux; Android 14; Pixel 8) ExoPlayer/2.19.1",
]
CONNECTIONS = ["wifi", "cellular", "ethernet", "ethernet", "ethernet", "cellular"]


def _literal(values: list[str] | list[int]) -> str:
    """A ClickHouse array literal of constants of this module (never of user input)."""
    return "[" + ",".join(repr(v) if isinstance(v, int) else "'" + v.replace("'", "\\'") + "'" for v in values) + "]"


def _device(column: str) -> str:
    return f"{_literal([d[column] for d in DEVICES])}[device + 1]"


def prime_time_cdf() -> list[float]:
    """Cumulative share of session starts per UTC hour (the curve bench/datagen.py uses)."""
    weights = [0.35 + 0.65 * (1 + math.cos((h - 20) / 24 * 2 * math.pi)) / 2 for h in range(24)]
    total, acc, out = sum(weights), 0.0, []
    for w in weights:
        acc += w
        out.append(round(acc / total, 6))
    out[-1] = 1.0
    return out


# Per session (inner SELECT): columns named as in ``events`` plus helpers.
_SESSION = {
    "n": "number",
    "h": "cityHash64(number, {seed:UInt64})",
    "long_view": "h % 10 < 4",
    "beats": "if(long_view, 21 + intDiv(h, 10) % 100, 2 + intDiv(h, 10) % 19)",
    "hour": "arrayFirstIndex(x -> x >= (cityHash64(number, 2) % 1000000) / 1000000, {cdf}) - 1",
    "start_ms": "{start:Int64} + toInt64(cityHash64(number, 3) % {days:UInt64}) * 86400000 + hour * 3600000 "
    "+ toInt64(cityHash64(number, 4) % 3600000)",
    "ended": "cityHash64(number, 5) % 10 < 8",
    "ads": "long_view AND cityHash64(number, 6) % 10 < 3",
    "ad_dropoff": "cityHash64(number, 7) % 4 = 0",
    "device": f"cityHash64(number, 8) % {len(DEVICES)}",
    "viewer_n": "cityHash64(number, 9) % {viewers:UInt64}",
    "channel_n": "toUInt64(pow((cityHash64(number, 10) % 1000) / 1000, 2) * {channels:UInt64})",
    "account_id": "{account:String}",
    "session_id": "lower(concat(hex(cityHash64(number, 11)), hex(cityHash64(number, 12))))",
    "ip": "IPv4NumToString(toUInt32(cityHash64(viewer_n, 13) % 4294967296))",
    "user_agent": f"{_literal(USER_AGENTS)}[device + 1]",
    "viewer_id": "if(cityHash64(viewer_n, 14) % 10 < 3, concat('user-', toString(viewer_n)), '')",
    "viewer": "if(viewer_id != '', viewer_id, concat(ip, '|', user_agent))",
    "server_id": "concat('edge-', toString(cityHash64(number, 15) % 8))",
    "server_name": "upper(server_id)",
    "channel_id": "concat('ch', toString(channel_n))",
    "stream_id": "concat(channel_id, if(cityHash64(number, 16) % 5 = 0, '-backup', '-main'))",
    "stream_uri": "concat('https://cdn.example.com/live/', stream_id, '/index.m3u8')",
    "content_id": "concat(channel_id, '-p', toString(intDiv(start_ms, 7200000) % 48))",
    "content_name": "concat('Programme ', toString(intDiv(start_ms, 7200000) % 48), ' on ', channel_id)",
    "series_name": "concat('Series ', toString(intDiv(start_ms, 7200000) % 12))",
    "studio": "concat('Studio ', toString(channel_n % 4))",
    "content_type": "if(cityHash64(number, 17) % 10 = 0, 'vod', 'live')",
    "protocol": f"{_literal(['HLS', 'HLS', 'HLS', 'DASH', 'RTMP'])}[cityHash64(number, 18) % 5 + 1]",
    "player": _device("player"),
    "browser": _device("browser"),
    "os": _device("os"),
    "device_type": _device("device_type"),
    "device_name": _device("device_name"),
    "platform": _device("platform"),
    "connection_type": f"{_literal(CONNECTIONS)}[device + 1]",
    "country": f"{_literal(COUNTRIES)}[cityHash64(viewer_n, 19) % {len(COUNTRIES)} + 1]",
    "city": "''",
    "wms_player": f"if(protocol = 'RTMP', 'Flash', {_device('wms_player')})",
    "wms_device": _device("wms_device"),
    "s73_os": _device("s73_os"),
    "s73_platform": _device("s73_platform"),
    "s73_connection": f"upper({_literal(CONNECTIONS)}[device + 1])",
    "amagi_device_type": _device("amagi_device_type"),
    "amagi_device_name": _device("amagi_device_name"),
    "sr_platform": _device("sr_platform"),
    "delivery": f"{_literal(['cdn', 'cdn', 'p2p', 'p2p', 'not_compatible'])}[cityHash64(number, 20) % 5 + 1]",
    "bitrate_kbps": f"{_literal([800, 1600, 3000, 6000])}[cityHash64(number, 21) % 4 + 1]",
    "representation_id": "concat(toString(bitrate_kbps), 'k')",
}

_AD_TYPES = ["ad_opportunity", "ad_request", "ad_response", "ad_asset", "ad_impression"]

# Per event (outer SELECT, after ARRAY JOIN range(beats) AS k).
_EVENT = {
    "e": "cityHash64(n, k)",
    "ts_ms": f"start_ms + k * {HEARTBEAT_MS} + if(k > 0, toInt64(e % 3000), 0)",
    "ts": "toDateTime(intDiv(ts_ms, 1000), 'UTC')",
    "received_ms": "ts_ms + 40 + toInt64(e % 400)",
    "ad_event": "ads AND k BETWEEN 1 AND 5 AND NOT (ad_dropoff AND k >= 4)",
    "type": f"multiIf(k = 0, 'view_start', ad_event, {_literal(_AD_TYPES)}[k], "
    "k = beats - 1 AND ended, 'view_end', 'heartbeat')",
    "playing": "k > 0 AND NOT ad_event",
    "event_id": "if(cityHash64(n, 22) % 10 < 7, concat(session_id, '-', toString(k)), '')",
    "played_ms": f"toUInt64(if(playing, {HEARTBEAT_MS} - e % 3000, 0))",
    "rebuffer_ms": "toUInt64(if(playing AND e % 20 = 0, 500 + intDiv(e, 20) % 4000, 0))",
    "bytes_total": "intDiv(played_ms * bitrate_kbps, 8)",
    "bytes_cdn": "if(delivery = 'p2p', intDiv(bytes_total * 3, 10), bytes_total)",
    "bytes_p2p": "if(delivery = 'p2p', bytes_total - bytes_cdn, 0)",
    "dropped_frames": "if(playing, toNullable(toUInt64(if(e % 5 = 0, e % 30, 0))), NULL)",
    "buffer_ms": "if(playing, toNullable(toFloat64(2000 + e % 28000)), NULL)",
    "buffer_fill_rate": "if(playing, toNullable(round((e % 300) / 100, 2)), NULL)",
    "request_rtt_ms": "if(playing, toNullable(toFloat64(20 + e % 200)), NULL)",
    "ad_tag": "if(ad_event, concat('preroll-', channel_id), '')",
    "ad_id": "if(ad_event, concat('ad-', toString(cityHash64(n, 23) % 40)), '')",
    "ad_duration_ms": "if(ad_event, toFloat64(15000 * (1 + cityHash64(n, 24) % 2)), 0)",
    "remote_ip": "''",
    "publish_type": "''",
}


def insert_sql() -> str:
    """The INSERT of sessions ``first`` … ``first + count - 1``; parameters: seed, start (ms),
    days, viewers, channels, account, first, count, end (ms; later events are left out)."""
    inner = ", ".join(f"{expr} AS {name}" for name, expr in _SESSION.items())
    inner = inner.replace("{cdf}", _literal_floats(prime_time_cdf()))
    per_event = ", ".join(f"{expr} AS {name}" for name, expr in _EVENT.items())
    columns = ", ".join(EVENT_COLUMN_NAMES)
    return (
        f"INSERT INTO {{db}}.events ({columns}) SELECT {columns} FROM ("
        f"SELECT *, {per_event} FROM (SELECT {inner} FROM numbers({{first:UInt64}}, {{count:UInt64}})) "
        "ARRAY JOIN range(beats) AS k) WHERE ts_ms < {end:Int64}"
    )


def _literal_floats(values: list[float]) -> str:
    return "[" + ",".join(f"{v:.6f}" for v in values) + "]"


def generate(
    query: Callable[..., object], account: str, *, events: int, days: int, channels: int, end_ms: int,
    seed: int = 7, chunks: int = 20, progress: Callable[[int], None] | None = None,
) -> int:
    """Insert about ``events`` events (sessions cut at ``end_ms`` lose their tail); returns the
    number of sessions generated. ``query(sql, params)`` is the store's query call."""
    sessions = max(int(events / EVENTS_PER_SESSION), 1)
    sql = insert_sql()
    per_chunk = math.ceil(sessions / chunks)
    params = {"seed": seed, "start": end_ms - days * 86_400_000, "days": days, "viewers": max(sessions // 3, 1),
              "channels": channels, "account": account, "end": end_ms}
    for first in range(0, sessions, per_chunk):
        count = min(per_chunk, sessions - first)
        query(sql, {**params, "first": first, "count": count})
        if progress:
            progress(count)
    return sessions
