"""The report scheduler, started by ``serve``: every ``TICK_S`` it builds each closed period of
every schedule once (daily the next day, weekly on Monday for Mon–Sun, monthly on the 1st, in
the report's timezone), claiming ``(schedule, period)`` in the metadata store so only one node
builds it.

The scheduler catches up on at most ``CATCH_UP_PERIODS`` recent periods per schedule (after a
downtime); an older period is built on its first download instead.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from mediastats.reports.build import schedule_timezone
from mediastats.reports.downloads import ensure_built, store_of
from mediastats.reports.periods import Period, closed_periods
from mediastats.reports.store import Schedule
from mediastats.services import Services
from mediastats.surfaces.amagi.params import params_from

log = logging.getLogger(__name__)

TICK_S = 30.0
CATCH_UP_PERIODS = 7


def due_periods(services: Services, schedule: Schedule) -> list[Period]:
    """The closed periods of ``schedule`` that have no report yet (the most recent few)."""
    timezone = schedule_timezone(params_from(schedule.params))
    created = datetime.fromtimestamp(schedule.created_ms / 1000, tz=UTC)
    closed = list(closed_periods(schedule.interval, timezone, created, services.clock()))[-CATCH_UP_PERIODS:]
    built = store_of(services).built_dates(schedule.id)
    return [p for p in closed if p.start.isoformat() not in built]


async def build_due(services: Services) -> int:
    """Build every due report once; the number built (or found built by another node)."""
    store = store_of(services)
    count = 0
    for schedule in store.schedules():
        for period in due_periods(services, schedule):
            try:
                await ensure_built(services, schedule, period)
                count += 1
            except Exception:
                log.exception("report %s for %s failed", schedule.id, period.start)
    return count


async def run(services: Services) -> None:
    while True:
        try:
            await build_due(services)
        except Exception:
            log.exception("report scheduler tick failed")
        await asyncio.sleep(TICK_S)
