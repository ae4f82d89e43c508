"""The push worker: one per ``serve``, started by app.py as ``run(services)``.

Every tick (a fraction of a second, or at once when ingest queued something) it

1. alerts servers whose silence passed the threshold (``triggers.offline_servers``),
2. queues the daily-statistics push once the day has closed (``daily.due_subscriptions``),
3. every ``RECOVER_EVERY_S``, applies push-journal entries an interrupted insert left,
4. claims the messages due now and sends each in its own task (at most ``MAX_IN_FLIGHT``).

All times come from ``services.clock()``, so tests move time instead of waiting. Ingest reaches
the triggers through the push journal (``journal.py``), installed on the ingest writer by
``install_journal`` before the server takes requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx

from mediastats.push import daily, journal, triggers
from mediastats.push.outbox import Message, cancel, claim_due, record_attempt, release, release_all
from mediastats.push.sender import new_client, post_signed
from mediastats.push.subscriptions import SubscriptionStore
from mediastats.services import Services

log = logging.getLogger(__name__)

POLL_S = 0.2
MAX_IN_FLIGHT = 32
RECOVER_EVERY_S = 30.0


def install_journal(services: Services) -> journal.PushJournal:
    """Make every insert note its push triggers first (called by the app at start-up)."""
    push_journal = journal.PushJournal(services.engine, services.clock)
    services.ingestor.writer.journals.append(push_journal)
    return push_journal


class PushWorker:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.subscriptions = SubscriptionStore(services.engine)
        self.wake = asyncio.Event()
        self.in_flight: dict[int, asyncio.Task[None]] = {}
        self.daily_task: asyncio.Task[int] | None = None
        self.recovered_at = -math.inf
        self.started = False

    def now_ms(self) -> int:
        return int(self.services.clock().timestamp() * 1000)

    def observe(self, _account_id: str, rows: list[dict[str, Any]]) -> None:
        """Ingest observer: a committed insert may have queued notifications; look now."""
        if triggers.relevant_rows(rows):
            self.wake.set()

    async def recover(self, *, min_age_ms: int = journal.RECOVER_AFTER_MS) -> int:
        applied = await asyncio.to_thread(
            journal.recover, self.services.engine, self.services.storage, self.services.clock(), min_age_ms=min_age_ms
        )
        self.recovered_at = time.monotonic()
        return applied

    async def run(self) -> None:
        observers = self.services.ingestor.writer.observers
        observers.append(self.observe)
        try:
            async with new_client() as client:
                while True:
                    try:
                        await self.tick(client)
                    except Exception:
                        log.exception("push tick failed")
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.wake.wait(), POLL_S)
                    self.wake.clear()
        finally:
            with contextlib.suppress(ValueError):
                observers.remove(self.observe)
            await self.stop()

    async def stop(self) -> None:
        interrupted = [key for key, task in self.in_flight.items() if not task.done()]
        tasks = [t for t in (*self.in_flight.values(), self.daily_task) if t is not None and not t.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.in_flight.clear()
        with contextlib.suppress(Exception):
            await asyncio.to_thread(release, self.services.engine, interrupted)

    async def start_up(self) -> None:
        """What a kill left: claims of the only node (with a shared metadata store a claim may
        be another live node's, so it is left to run out), and push-journal entries — none can
        be in flight on this node yet; one in flight on another node is applied once, by either."""
        if not self.services.settings.database_url:
            released = await asyncio.to_thread(release_all, self.services.engine)
            if released:
                log.info("push: %d messages claimed before a restart are pending again", released)
        await self.recover(min_age_ms=0)
        self.started = True

    async def tick(self, client: httpx.AsyncClient) -> None:
        engine = self.services.engine
        if not self.started:  # in the tick, so a failure is logged and tried again
            await self.start_up()
        await asyncio.to_thread(triggers.offline_servers, engine, self.services.clock())
        self.start_daily_if_due()
        if time.monotonic() - self.recovered_at >= RECOVER_EVERY_S:
            await self.recover()
        room = MAX_IN_FLIGHT - len(self.in_flight)
        if room <= 0:
            return
        for message in await asyncio.to_thread(claim_due, engine, self.now_ms(), room):
            task = asyncio.create_task(self.send(client, message), name=f"push-{message.message_id}")
            self.in_flight[message.id] = task
            task.add_done_callback(self._forget(message.id))

    def _forget(self, key: int) -> Callable[[asyncio.Task[None]], None]:
        def forget(_task: asyncio.Task[None]) -> None:
            self.in_flight.pop(key, None)

        return forget

    def start_daily_if_due(self) -> None:
        if self.daily_task is not None and not self.daily_task.done():
            return

        async def queue_due() -> int:
            day, subs = await asyncio.to_thread(daily.due_subscriptions, self.services, self.services.clock())
            queued = await daily.queue_daily(self.services, day, subs, once=True) if subs else 0
            if queued:
                self.wake.set()
            return queued

        self.daily_task = asyncio.create_task(queue_due(), name="push-daily")
        self.daily_task.add_done_callback(_log_failure)

    async def send(self, client: httpx.AsyncClient, message: Message) -> None:
        engine = self.services.engine
        sub = await asyncio.to_thread(self.subscriptions.get, message.subscription_id)
        if sub is None or not sub.active:
            await asyncio.to_thread(cancel, engine, message)
            return
        started_ms = self.now_ms()  # retries count from the attempt, not from when we got to record it
        outcome = await post_signed(
            client, url=sub.url, secret=sub.secret, message_id=message.message_id, body=message.body,
            event=message.event, now=self.services.clock(), allow_private=self.services.settings.push_allow_private,
        )
        await asyncio.to_thread(
            record_attempt, engine, message, at_ms=started_ms, status_code=outcome.status_code,
            error=outcome.error, duration_ms=outcome.duration_ms, gone=outcome.gone,
        )
        if outcome.gone:
            await asyncio.to_thread(self.subscriptions.disable, sub.id, "the receiver answered 410 Gone")
        else:
            self.wake.set()  # a retry may be due soon; look again


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("daily statistics push failed", exc_info=task.exception())


async def enqueue_daily_stats(services: Services, day: date) -> int:
    """Queue the push that the midnight after ``day`` sends (``day`` newest) to every active
    ``daily_stats`` subscription, now; returns how many messages were queued."""
    subs = await asyncio.to_thread(SubscriptionStore(services.engine).active_for, None, "daily_stats")
    return await daily.queue_daily(services, day, subs, once=False)


async def run(services: Services) -> None:
    """The push worker of ``serve`` (cancelled when the server stops)."""
    await PushWorker(services).run()
