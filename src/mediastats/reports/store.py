"""Schedules and built reports in the metadata store (SQLAlchemy Core, SQLite or PostgreSQL).

A period is claimed by inserting its ``building`` row: the unique (schedule, from_date)
constraint lets exactly one node win, on one machine or many. A claim left by a node that died
mid-build is taken over once it is older than ``STALE_CLAIM_MS``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mediastats.meta.accounts import new_id
from mediastats.reports.periods import Period
from mediastats.reports.tables import report_files, report_schedules

STALE_CLAIM_MS = 10 * 60 * 1000


@dataclass(frozen=True)
class Schedule:
    id: str
    account_id: str
    type: str
    interval: str
    params: dict[str, list[str]]
    slice_ids: tuple[str, ...] | None
    created_ms: int

    def public(self) -> dict[str, Any]:
        return {
            "scheduleId": self.id,
            "type": self.type,
            "interval": self.interval,
            "params": self.params,
            "dataSlices": list(self.slice_ids) if self.slice_ids is not None else None,
            "createdAt": iso_ms(self.created_ms),
        }


@dataclass(frozen=True)
class BuiltReport:
    from_date: str
    to_date: str
    built_ms: int
    rows: int
    csv: str


def iso_ms(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


def _wall_ms() -> int:
    return int(time.time() * 1000)


def _schedule(row: Any) -> Schedule:
    slices = row["slice_ids"]
    return Schedule(
        id=row["id"], account_id=row["account_id"], type=row["type"], interval=row["interval"],
        params=dict(row["params"] or {}), slice_ids=tuple(slices) if slices is not None else None,
        created_ms=int(row["created_ms"]),
    )


class ReportStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- schedules ------------------------------------------------------------------------
    def create(
        self, account_id: str, type_: str, interval: str, params: dict[str, list[str]],
        slice_ids: tuple[str, ...] | None, created_ms: int,
    ) -> Schedule:
        schedule = Schedule(new_id("rs"), account_id, type_, interval, params, slice_ids, created_ms)
        with self.engine.begin() as conn:
            conn.execute(report_schedules.insert().values(
                id=schedule.id, account_id=account_id, type=type_, interval=interval, params=params,
                slice_ids=list(slice_ids) if slice_ids is not None else None, created_ms=created_ms,
                deleted=False,
            ))
        return schedule

    def schedule(self, schedule_id: str) -> Schedule | None:
        with self.engine.connect() as conn:
            row = conn.execute(report_schedules.select().where(
                report_schedules.c.id == schedule_id, report_schedules.c.deleted.is_(False)
            )).mappings().first()
        return _schedule(row) if row else None

    def schedules(self, account_id: str | None = None) -> list[Schedule]:
        """The live schedules of ``account_id`` (of every account when None), oldest first."""
        query = report_schedules.select().where(report_schedules.c.deleted.is_(False))
        if account_id is not None:
            query = query.where(report_schedules.c.account_id == account_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(report_schedules.c.created_ms, report_schedules.c.id)).mappings()
            return [_schedule(r) for r in rows]

    def delete(self, schedule_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(report_schedules.update().where(report_schedules.c.id == schedule_id).values(deleted=True))

    # --- built reports --------------------------------------------------------------------
    def built(self, schedule_id: str, from_date: str) -> BuiltReport | None:
        with self.engine.connect() as conn:
            row = conn.execute(report_files.select().where(
                report_files.c.schedule_id == schedule_id, report_files.c.from_date == from_date,
                report_files.c.state == "done",
            )).mappings().first()
        return _built(row) if row else None

    def built_list(self, schedule_id: str) -> list[BuiltReport]:
        with self.engine.connect() as conn:
            rows = conn.execute(report_files.select().where(
                report_files.c.schedule_id == schedule_id, report_files.c.state == "done"
            ).order_by(report_files.c.from_date)).mappings()
            return [_built(r) for r in rows]

    def built_dates(self, schedule_id: str) -> set[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(report_files.c.from_date).where(
                report_files.c.schedule_id == schedule_id, report_files.c.state == "done"
            ))
            return {r[0] for r in rows}

    def claim(self, schedule_id: str, period: Period) -> bool:
        """True if this caller now holds the build of ``period`` (insert, or stale take-over)."""
        now = _wall_ms()
        try:
            with self.engine.begin() as conn:
                conn.execute(report_files.insert().values(
                    schedule_id=schedule_id, from_date=period.start.isoformat(),
                    to_date=period.last_day.isoformat(), state="building", claimed_ms=now,
                ))
            return True
        except sa.exc.IntegrityError:
            pass
        with self.engine.begin() as conn:
            taken = conn.execute(report_files.update().where(
                report_files.c.schedule_id == schedule_id, report_files.c.from_date == period.start.isoformat(),
                report_files.c.state == "building", report_files.c.claimed_ms < now - STALE_CLAIM_MS,
            ).values(claimed_ms=now))
            return bool(taken.rowcount)

    def finish(self, schedule_id: str, period: Period, csv: str, rows: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(report_files.update().where(
                report_files.c.schedule_id == schedule_id, report_files.c.from_date == period.start.isoformat(),
                report_files.c.state == "building",
            ).values(state="done", csv=csv, rows=rows, built_ms=_wall_ms()))

    def release(self, schedule_id: str, period: Period) -> None:
        """Give up a claim whose build failed, so the next attempt may build it."""
        with self.engine.begin() as conn:
            conn.execute(report_files.delete().where(
                report_files.c.schedule_id == schedule_id, report_files.c.from_date == period.start.isoformat(),
                report_files.c.state == "building",
            ))


def _built(row: Any) -> BuiltReport:
    return BuiltReport(row["from_date"], row["to_date"], int(row["built_ms"]), int(row["rows"]), row["csv"])
