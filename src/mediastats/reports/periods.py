"""Report periods (seed §6.1.1): a daily report covers one day, a weekly one Monday–Sunday, a
monthly one a calendar month, all in the report's timezone. A period is closed, and its report
can be built, once its last day has ended there (the next day, the next Monday, the 1st).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

INTERVALS = ("DAILY", "WEEKLY", "MONTHLY")


@dataclass(frozen=True)
class Period:
    interval: str
    start: date
    # The day after the last day.
    stop: date

    @property
    def last_day(self) -> date:
        return self.stop - timedelta(days=1)

    def end_utc(self, timezone: str) -> datetime:
        return local_midnight(self.stop, timezone)

    def closed(self, timezone: str, now: datetime) -> bool:
        return now >= self.end_utc(timezone)


def local_midnight(day: date, timezone: str) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def _next_start(interval: str, start: date) -> date:
    if interval == "DAILY":
        return start + timedelta(days=1)
    if interval == "WEEKLY":
        return start + timedelta(weeks=1)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def period_starting(interval: str, day: date) -> Period | None:
    """The period that starts on ``day``; None if no period of ``interval`` starts then."""
    if (interval == "WEEKLY" and day.weekday() != 0) or (interval == "MONTHLY" and day.day != 1):
        return None
    return Period(interval, day, _next_start(interval, day))


def period_holding(interval: str, day: date) -> Period:
    if interval == "WEEKLY":
        day -= timedelta(days=day.weekday())
    elif interval == "MONTHLY":
        day = day.replace(day=1)
    period = period_starting(interval, day)
    assert period is not None
    return period


def closed_periods(interval: str, timezone: str, since: datetime, now: datetime) -> Iterator[Period]:
    """Every closed period from the one holding ``since`` on, oldest first."""
    period = period_holding(interval, since.astimezone(ZoneInfo(timezone)).date())
    while period.closed(timezone, now):
        yield period
        following = period_starting(interval, period.stop)
        assert following is not None
        period = following
