"""A year of made-up traffic, generated in bulk (for the page-load measurement).

``views_per_day`` views on each of 365 days, each a view_start, a heartbeat and a view_end, spread
over five channels and a handful of players, devices and countries (300 a day: ~330,000
events). The attributes are explicit so ingest spends no time on user-agent parsing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

CHANNELS = ("news", "sport", "movies", "kids", "music")
CLIENTS = (
    {"player": "Chrome", "os": "Windows", "device_type": "Desktop", "platform": "Web"},
    {"player": "Safari", "os": "iOS", "device_type": "Smartphone", "platform": "Web"},
    {"player": "ExoPlayer", "os": "Android", "device_type": "Smartphone", "platform": "Android"},
    {"player": "Roku", "os": "Roku", "device_type": "TV", "platform": "Roku"},
)
COUNTRIES = ("United States", "Germany", "France", "Brazil", "India", "Japan")


def year_of_events(now: datetime, views_per_day: int, days: int = 365, seed: int = 7) -> Iterator[list[dict[str, Any]]]:
    """Batches (one per day) of events for ``days`` days ending an hour before ``now``."""
    rnd = random.Random(seed)
    end_ms = int((now - timedelta(hours=1)).timestamp() * 1000)
    for day in range(days):
        batch: list[dict[str, Any]] = []
        day_start = end_ms - (day + 1) * 86_400_000
        for n in range(views_per_day):
            start = day_start + rnd.randrange(86_400_000 - 1_200_000)
            played = rnd.randrange(30_000, 1_200_000)
            sid = f"d{day}v{n}"
            batch.append({
                "ts": start, "type": "view_start", "session_id": sid, "channel_id": rnd.choice(CHANNELS),
                "viewer_id": f"u{rnd.randrange(views_per_day * 20)}", "country": rnd.choice(COUNTRIES),
                "delivery": rnd.choice(("cdn", "p2p")), **rnd.choice(CLIENTS),
            })
            batch.append({"ts": start + played // 2, "type": "heartbeat", "session_id": sid,
                          "played_ms": played // 2, "bytes_cdn": played * 40, "bytes_p2p": played * 20})
            batch.append({"ts": start + played, "type": "view_end", "session_id": sid,
                          "played_ms": played - played // 2, "rebuffer_ms": rnd.choice((0, 0, 0, 800, 3_000)),
                          "bytes_cdn": played * 40})
        yield batch
