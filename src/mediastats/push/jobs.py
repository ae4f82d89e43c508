"""Push background work (placeholder until the push worker lands)."""

from __future__ import annotations

from datetime import date

from mediastats.services import Services


async def enqueue_daily_stats(services: Services, day: date) -> int:
    return 0


async def run(services: Services) -> None:
    return None
