"""Getting a report: the stored CSV of a closed period, built now if the scheduler has not
built it yet (then stored, and served unchanged ever after).

    404  unknown schedule (or another account's), a date that is not a period start, an open period
    403  a user-specific key that does not see every slice of the schedule
    422  a from_date that is not YYYY-MM-DD
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import date

from mediastats.meta.accounts import Access
from mediastats.query import QueryError
from mediastats.reports.build import build_csv, schedule_timezone
from mediastats.reports.periods import Period, period_starting
from mediastats.reports.store import ReportStore, Schedule
from mediastats.services import Services
from mediastats.surfaces.amagi.params import params_from
from mediastats.surfaces.errors import ApiError

# How long a download waits for a build another worker holds.
WAIT_FOR_OTHER_S = 60.0


@dataclass(frozen=True)
class Download:
    filename: str
    csv: str


def store_of(services: Services) -> ReportStore:
    return ReportStore(services.engine)


def owned_schedule(services: Services, access: Access, schedule_id: str) -> Schedule:
    """The schedule if ``access`` may see it: 404 if it is not the account's, 403 if a
    user-specific key does not see all of the schedule's slices."""
    schedule = store_of(services).schedule(schedule_id)
    if schedule is None or schedule.account_id != access.account_id:
        raise ApiError(404, f"report schedule {schedule_id!r} not found")
    if access.slice_ids is not None and (
        schedule.slice_ids is None or not set(schedule.slice_ids) <= set(access.slice_ids)
    ):
        raise ApiError(403, "this key does not see every data slice of this report schedule")
    return schedule


def closed_period(services: Services, schedule: Schedule, from_date: str) -> Period:
    try:
        day = date.fromisoformat(from_date) if len(from_date) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise QueryError("from_date", '"from_date" must be a date in YYYY-MM-DD format', status=422)
    period = period_starting(schedule.interval, day)
    if period is None:
        raise ApiError(404, f"{from_date} is not the first day of a {schedule.interval.lower()} report period")
    timezone = schedule_timezone(params_from(schedule.params))
    if not period.closed(timezone, services.clock()):
        ends = period.end_utc(timezone).isoformat().replace("+00:00", "Z")
        raise ApiError(404, f"the report for {from_date} is not ready: its period ends at {ends}")
    return period


async def ensure_built(services: Services, schedule: Schedule, period: Period) -> str:
    """The stored CSV of ``period``, building and storing it first if nobody has."""
    store = store_of(services)
    key = period.start.isoformat()
    deadline = time.monotonic() + WAIT_FOR_OTHER_S
    while True:
        built = store.built(schedule.id, key)
        if built is not None:
            return built.csv
        if store.claim(schedule.id, period):
            try:
                csv, rows = await build_csv(services, schedule, period)
            except BaseException:
                store.release(schedule.id, period)
                raise
            store.finish(schedule.id, period, csv, rows)
            continue  # read back what is stored (another finisher may have won a stale race)
        if time.monotonic() > deadline:
            raise ApiError(503, "the report is being built by another worker; try again shortly")
        await asyncio.sleep(0.2)


async def report_download(services: Services, access: Access, schedule_id: str, from_date: str) -> Download:
    schedule = owned_schedule(services, access, schedule_id)
    period = closed_period(services, schedule, from_date)
    csv = await ensure_built(services, schedule, period)
    return Download(filename=f"{schedule.type}-{schedule.id}-{period.start.isoformat()}.csv", csv=csv)
