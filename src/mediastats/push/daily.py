"""The daily-statistics push: which subscriptions are due, and the body each one gets.

After 00:00 UTC the day that just closed is pushed to every active ``daily_stats``
subscription that existed at that midnight, once (the outbox's ``daily:<date>`` key makes a
second worker or a restart a no-op). The body covers the last 7 closed days, newest first, for
each slice the subscription may see; the day objects are WMSPanel's (``surfaces/wmspanel/daily``).
An operator may send any day's push again (``enqueue_daily_stats``); that is never deduplicated.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from mediastats.meta.accounts import AccountStore
from mediastats.push.bodies import daily_stats_body
from mediastats.push.outbox import queue
from mediastats.push.subscriptions import Subscription, SubscriptionStore
from mediastats.push.tables import push_outbox
from mediastats.query import Scope
from mediastats.services import Services
from mediastats.surfaces.wmspanel.daily import daily_stats_days

DAYS_PER_PUSH = 7


def dedup_key(day: date) -> str:
    return f"daily:{day.isoformat()}"


def due_subscriptions(services: Services, now: datetime) -> tuple[date, list[Subscription]]:
    """(the day that closed at the last midnight, subscriptions still owed its push)."""
    today = now.astimezone(UTC).date()
    closed = today - timedelta(days=1)
    midnight_ms = int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp() * 1000)
    subs = [s for s in SubscriptionStore(services.engine).active_for(None, "daily_stats") if s.created_ms < midnight_ms]
    if not subs:
        return closed, []
    with services.engine.connect() as conn:
        done = set(conn.execute(
            sa.select(push_outbox.c.subscription_id).where(
                push_outbox.c.dedup_key == dedup_key(closed),
                push_outbox.c.subscription_id.in_([s.id for s in subs]),
            )
        ).scalars())
    return closed, [s for s in subs if s.id not in done]


async def statistics_for(
    services: Services, sub: Subscription, newest: date, cache: dict[tuple[str, str], list[list[dict[str, Any]]]]
) -> dict[str, dict[str, Any]]:
    """slice id → {"name", "stats": [[day], …]} for the slices ``sub`` may see."""
    out: dict[str, dict[str, Any]] = {}
    for piece in sub.visible_slices(AccountStore(services.engine).slices(sub.account_id)):
        key = (sub.account_id, piece.id)
        if key not in cache:
            scope = Scope(account_id=sub.account_id, slices=(piece.scope,))
            days = await daily_stats_days(
                services.storage, scope, newest - timedelta(days=DAYS_PER_PUSH - 1), newest
            )
            cache[key] = [[day] for day in reversed(days)]
        out[piece.id] = {"name": piece.name, "stats": cache[key]}
    return out


async def queue_daily(services: Services, newest: date, subs: list[Subscription], *, once: bool) -> int:
    """Queue the push of ``newest`` (and the 6 days before) to ``subs``; returns how many."""
    cache: dict[tuple[str, str], list[list[dict[str, Any]]]] = {}
    queued = 0
    for sub in subs:
        statistics = await statistics_for(services, sub, newest, cache)
        now = services.clock()
        body = daily_stats_body(now, sub.token, statistics)
        try:
            with services.engine.begin() as conn:
                queue(conn, subscription_id=sub.id, account_id=sub.account_id, event="daily_stats", body=body,
                      now_ms=int(now.timestamp() * 1000), dedup_key=dedup_key(newest) if once else None)
        except IntegrityError:  # another worker queued it first
            continue
        queued += 1
    return queued
