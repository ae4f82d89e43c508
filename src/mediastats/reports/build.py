"""Building one scheduled report: schedule + period → the Amagi v2 request it stands for →
Query → CSV, through the same translate and serialize code as ``GET /api/v2``.

Row interval: a daily report lists hours, weekly and monthly ones list days, unless the
schedule's params name an ``interval`` (HOURLY | DAILY). For ``uniqueViewersAnalytics`` the
v2 interval is the schedule's (DAILY = hourly rows, WEEKLY / MONTHLY = daily rows).
"""

from __future__ import annotations

from dataclasses import replace

from mediastats.meta.accounts import Access
from mediastats.query import QueryError, Scope, run_query
from mediastats.reports.csv import csv_text, result_csv
from mediastats.reports.periods import Period
from mediastats.reports.store import Schedule
from mediastats.services import Services
from mediastats.surfaces.amagi.params import Params, one, params_from, timezone
from mediastats.surfaces.amagi.serialize import COLUMNS
from mediastats.surfaces.amagi.translate import UNIQUE, Translated, data_request

# Params a schedule may carry (the dates come from each period).
SCHEDULE_PARAMS = (
    "customerId", "channelId", "city", "country", "deviceName", "deviceType", "studioName", "contentId",
    "adTag", "timezone", "interval",
)


def schedule_timezone(params: Params) -> str:
    return timezone(params)


def request_params(report_type: str, interval: str, params: Params, period: Period) -> dict[str, list[str]]:
    """The v2 query parameters of ``period``'s report."""
    out = {name: list(values) for name, values in params.items() if name in SCHEDULE_PARAMS}
    if report_type == UNIQUE:
        out["interval"] = [interval]
    elif one(params, "interval") is None:
        out["interval"] = ["HOURLY" if interval == "DAILY" else "DAILY"]
    out["startDate"] = [period.start.isoformat()]
    out["endDate"] = [period.last_day.isoformat()]
    return out


def translate_schedule(report_type: str, interval: str, params: Params, period: Period, scope: Scope) -> Translated:
    """The rows Query of a report (QueryError names the schedule parameter that is wrong)."""
    unknown = sorted(set(params) - set(SCHEDULE_PARAMS))
    if unknown:
        raise QueryError(f"params.{unknown[0]}", f"unknown report parameter; use {', '.join(SCHEDULE_PARAMS)}")
    translated = data_request(report_type, request_params(report_type, interval, params, period), scope)
    # A report holds every row of its period: no paging.
    return replace(translated, rows=replace(translated.rows, limit=None, offset=0))


def schedule_scope(services: Services, schedule: Schedule) -> Scope | None:
    account = services.accounts.account(schedule.account_id)
    if account is None:
        return None
    return services.accounts.scope(Access(account=account, slice_ids=schedule.slice_ids))


async def build_csv(services: Services, schedule: Schedule, period: Period) -> tuple[str, int]:
    """(CSV, row count) of ``schedule``'s report for ``period``, from the store as it is now."""
    scope = schedule_scope(services, schedule)
    params = params_from(schedule.params)
    if scope is None:  # the slices it was made for are gone: nothing is visible
        return csv_text(COLUMNS[schedule.type], []), 0
    translated = translate_schedule(schedule.type, schedule.interval, params, period, scope)
    result = await run_query(services.storage, translated.rows)
    return result_csv(schedule.type, result)
