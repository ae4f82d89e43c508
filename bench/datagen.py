"""Bulk data for the query benchmarks: stored-format event rows, generated in-process and inserted
in large JSONEachRow blocks (the set-up must be fast; ingest speed is bench/ingest.py's job).

Sessions of 2–60 minutes with a heartbeat a minute, spread over ``days`` with a prime-time curve,
over ``channels`` channels, 8 servers and a realistic device mix (vendor columns filled as the
enrichment would fill them).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterator
from typing import Any

import orjson

from mediastats.storage import facts

DEVICES: list[dict[str, str]] = [
    {"player": "Safari", "browser": "Safari", "os": "iOS", "device_type": "smartphone", "device_name": "Apple iPhone",
     "platform": "web-mobile", "wms_player": "Safari", "wms_device": "iPhone", "s73_os": "IOS", "s73_platform": "SAFARI",
     "amagi_device_type": "Mobile", "amagi_device_name": "iOS", "sr_platform": "web-mobile"},
    {"player": "Chrome", "browser": "Chrome", "os": "Android", "device_type": "smartphone", "device_name": "Samsung",
     "platform": "web-mobile", "wms_player": "Chrome", "wms_device": "Android", "s73_os": "ANDROID",
     "s73_platform": "CHROME", "amagi_device_type": "Mobile", "amagi_device_name": "Android", "sr_platform": "web-mobile"},
    {"player": "Chrome", "browser": "Chrome", "os": "Windows", "device_type": "desktop", "device_name": "",
     "platform": "web-desktop", "wms_player": "Chrome", "wms_device": "Windows", "s73_os": "WINDOWS",
     "s73_platform": "CHROME", "amagi_device_type": "Desktop", "amagi_device_name": "Windows", "sr_platform": "web-desktop"},
    {"player": "Safari", "browser": "Safari", "os": "macOS", "device_type": "desktop", "device_name": "Apple Mac",
     "platform": "web-desktop", "wms_player": "Safari", "wms_device": "Macintosh", "s73_os": "MAC",
     "s73_platform": "SAFARI", "amagi_device_type": "Desktop", "amagi_device_name": "Apple OS X",
     "sr_platform": "web-desktop"},
    {"player": "Roku", "browser": "", "os": "Roku OS", "device_type": "smart-tv", "device_name": "Roku",
     "platform": "smart-tv", "wms_player": "Roku", "wms_device": "SmartTV", "s73_os": "ROKU", "s73_platform": "SMART_TV",
     "amagi_device_type": "Roku", "amagi_device_name": "Roku", "sr_platform": "smart-tv"},
    {"player": "ExoPlayer", "browser": "", "os": "Android", "device_type": "smartphone", "device_name": "Google Pixel",
     "platform": "android-native", "wms_player": "Unknown", "wms_device": "Android", "s73_os": "ANDROID",
     "s73_platform": "ANDROID", "amagi_device_type": "Mobile", "amagi_device_name": "Android",
     "sr_platform": "android-native"},
]
COUNTRIES = ["United States", "Germany", "Brazil", "Japan", "India", "France", "United Kingdom"]
PROTOCOLS = ["HLS", "HLS", "HLS", "DASH", "RTMP"]
HEARTBEAT_MS = 60_000


def rows(
    account_id: str, *, events: int, days: int, channels: int, end_ms: int, seed: int = 7
) -> Iterator[dict[str, Any]]:
    """About ``events`` rows ending before ``end_ms``."""
    rng = random.Random(seed)
    start_ms = end_ms - days * 86_400_000
    produced = 0
    n = 0
    while produced < events:
        n += 1
        # Prime time: more sessions start around 20:00 UTC.
        while True:
            at = rng.randrange(start_ms, end_ms - 3_600_000)
            hour = (at // 3_600_000) % 24
            if rng.random() < 0.35 + 0.65 * (1 + math.cos((hour - 20) / 24 * 2 * math.pi)) / 2:
                break
        beats = rng.randint(2, 60)
        device = DEVICES[rng.randrange(len(DEVICES))]
        channel = f"ch{rng.randrange(channels)}"
        server = f"edge-{rng.randrange(8)}"
        delivery = rng.choice(("cdn", "cdn", "p2p", "not_compatible"))
        base = {
            "account_id": account_id, "session_id": f"s{seed}-{n}", "viewer": f"v{rng.randrange(events // 40 + 1)}",
            "channel_id": channel, "stream_id": f"{channel}-main", "stream_uri": f"https://cdn.example/{channel}/main.m3u8",
            "server_id": server, "server_name": server.upper(), "content_id": f"{channel}-show{rng.randrange(20)}",
            "content_type": "live", "protocol": rng.choice(PROTOCOLS), "country": rng.choice(COUNTRIES),
            "delivery": delivery, "bitrate_kbps": rng.choice((800, 1600, 3000, 6000)), **device,
        }
        for k in range(beats):
            ts_ms = at + k * HEARTBEAT_MS
            played = 0 if k == 0 else HEARTBEAT_MS - rng.randrange(0, 2000)
            cdn = 0 if k == 0 else rng.randrange(1_000_000, 40_000_000)
            row = {
                **base, "ts": ts_ms // 1000, "ts_ms": ts_ms, "received_ms": ts_ms,
                "type": "view_start" if k == 0 else ("view_end" if k == beats - 1 else "heartbeat"),
                "played_ms": played, "rebuffer_ms": rng.choice((0, 0, 0, 0, 500, 2000)) if k else 0,
                "bytes_cdn": cdn if delivery != "p2p" else cdn // 4,
                "bytes_p2p": 0 if delivery != "p2p" else cdn * 3 // 4,
                "buffer_ms": float(rng.randrange(2000, 30000)) if k else None,
            }
            yield row
        produced += beats


def insert(storage: Any, account_id: str, *, events: int, days: int, channels: int, end_ms: int,
           chunk: int = 200_000, progress: bool = True) -> float:
    """Insert the generated rows; returns seconds taken."""
    began = time.perf_counter()
    buffer: list[bytes] = []
    done = 0
    for row in rows(account_id, events=events, days=days, channels=channels, end_ms=end_ms):
        buffer.append(orjson.dumps(row))
        if len(buffer) >= chunk:
            storage.insert_json_rows("events", b"\n".join(buffer))
            done += len(buffer)
            buffer.clear()
            if progress:
                print(f"\r  inserted {done:,} rows", end="", flush=True)
    if buffer:
        storage.insert_json_rows("events", b"\n".join(buffer))
        done += len(buffer)
    facts.rebuild(storage)  # ingest folds them; a bulk load writes them after
    if progress:
        print(f"\r  inserted {done:,} rows in {time.perf_counter() - began:.1f} s")
    return time.perf_counter() - began
