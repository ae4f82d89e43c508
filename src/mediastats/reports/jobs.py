"""Report scheduler (placeholder until reports land)."""

from __future__ import annotations

from mediastats.services import Services


async def run(services: Services) -> None:
    return None
