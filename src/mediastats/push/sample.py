"""A signed sample of any push event, sent at once to one subscription (``mediastats push test``).

The sample has the real shape and signatures (digest / Signature with the subscription's
token, Standard Webhooks with its secret) and obviously made-up content: server
``sample-server``, stream ``live/sample``, a daily-statistics entry of zeros for yesterday.
The attempt is recorded like any other, so ``GET /v1/push/deliveries`` lists it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mediastats.push.bodies import (
    STREAM_EVENTS,
    daily_stats_body,
    server_status_body,
    stream_body,
)
from mediastats.push.outbox import Message, queue, record_attempt
from mediastats.push.sender import Outcome, new_client, post_signed
from mediastats.push.subscriptions import Subscription, SubscriptionStore
from mediastats.push.tables import push_outbox
from mediastats.surfaces.wmspanel.daily import empty_day

SAMPLE_SERVER = "sample-server"


def sample_body(sub: Subscription, event: str, now: datetime) -> dict[str, Any]:
    if event == "daily_stats":
        yesterday = (now.astimezone(UTC) - timedelta(days=1)).date()
        return daily_stats_body(now, sub.token, {"sample": {"name": "Sample data slice",
                                                            "stats": [[empty_day(yesterday)]]}})
    if event in ("server_offline", "server_online"):
        return server_status_body(now, sub.token, SAMPLE_SERVER, "sample.example.com", event.removeprefix("server_"))
    if event in STREAM_EVENTS:
        entry = {"stream": "live/sample", "protocol": "RTMP", "time": int(now.timestamp() * 1000),
                 "type": "push", "remote_ip": "192.0.2.10"}
        return stream_body(SAMPLE_SERVER, event, sub.token, [entry])
    raise ValueError(f"unknown event {event!r}")


def _queue_claimed(engine: Engine, sub: Subscription, event: str, body: dict[str, Any], now_ms: int) -> Message:
    with engine.begin() as conn:
        queue(conn, subscription_id=sub.id, account_id=sub.account_id, event=event, body=body, now_ms=now_ms)
        row = conn.execute(
            sa.select(push_outbox).where(push_outbox.c.subscription_id == sub.id)
            .order_by(push_outbox.c.id.desc()).limit(1)
        ).mappings().one()
        conn.execute(push_outbox.update().where(push_outbox.c.id == row["id"])
                     .values(status="sending", lease_until_ms=now_ms + 60_000))
    return Message(row["id"], row["message_id"], sub.id, sub.account_id, event, row["body"], 0)


async def send_sample(engine: Engine, sub: Subscription, event: str, *, allow_private: bool,
                      now: datetime | None = None) -> Outcome:
    """Send one sample now and record the attempt (it is not retried)."""
    now = now or datetime.now(UTC)
    now_ms = int(now.timestamp() * 1000)
    message = _queue_claimed(engine, sub, event, sample_body(sub, event, now), now_ms)
    async with new_client() as client:
        outcome = await post_signed(client, url=sub.url, secret=sub.secret, message_id=message.message_id,
                                    body=message.body, event=event, now=now, allow_private=allow_private)
    record_attempt(engine, message, at_ms=now_ms, status_code=outcome.status_code, error=outcome.error,
                   duration_ms=outcome.duration_ms, gone=outcome.gone, retry=False)
    if outcome.gone:
        SubscriptionStore(engine).disable(sub.id, "the receiver answered 410 Gone")
    return outcome
