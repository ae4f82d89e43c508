"""The durable outbox: queue a message, claim it for sending, record what the receiver said.

States: ``pending`` (waiting for ``next_attempt_ms``) → ``sending`` (claimed under a lease) →
``delivered`` (2xx), back to ``pending`` with the next retry, or ``failed`` (retries exhausted
or the receiver answered 410) / ``cancelled`` (the subscription went away). A claim is a
conditional UPDATE, so two workers on one database never send one message at once; a lease
that runs out (the worker died mid-send) makes the message claimable again. A delivered
message is never claimed again.

Retries follow CONTRACT §7: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after each failure,
each stretched by up to 10 % of jitter; after the last one the message is ``failed``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mediastats.push.bodies import encode, new_message_id
from mediastats.push.tables import push_attempts, push_outbox

RETRY_DELAYS_S: tuple[int, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)
JITTER = 0.1
# Longer than one attempt can take (10 s), so a live sender never loses its claim.
LEASE_MS = 30_000


def retry_delay_ms(failed_attempts: int, rng: random.Random | None = None) -> int | None:
    """Wait before the next attempt after ``failed_attempts`` failures (None: give up)."""
    if failed_attempts > len(RETRY_DELAYS_S):
        return None
    base = RETRY_DELAYS_S[failed_attempts - 1] * 1000
    return int(base * (1 + JITTER * (rng or random).random()))


@dataclass(frozen=True)
class Message:
    id: int
    message_id: str
    subscription_id: str
    account_id: str
    event: str
    body: str
    attempts: int


def queue(
    conn: sa.Connection,
    *,
    subscription_id: str,
    account_id: str,
    event: str,
    body: dict[str, Any],
    now_ms: int,
    not_before_ms: int | None = None,
    coalesce_key: str | None = None,
    dedup_key: str | None = None,
) -> None:
    conn.execute(
        push_outbox.insert().values(
            message_id=new_message_id(),
            subscription_id=subscription_id,
            account_id=account_id,
            event=event,
            body=encode(body),
            status="pending",
            attempts=0,
            next_attempt_ms=not_before_ms if not_before_ms is not None else now_ms,
            lease_until_ms=0,
            created_ms=now_ms,
            coalesce_key=coalesce_key,
            dedup_key=dedup_key,
        )
    )


def extend_unsent(conn: sa.Connection, subscription_id: str, coalesce_key: str, list_key: str,
                  entries: list[dict[str, Any]]) -> bool:
    """Append ``entries`` to the ``list_key`` list of a queued, never-tried message with that
    coalesce key. False if there is none (it may have been claimed meanwhile)."""
    row = conn.execute(
        sa.select(push_outbox.c.id, push_outbox.c.body).where(
            push_outbox.c.subscription_id == subscription_id,
            push_outbox.c.coalesce_key == coalesce_key,
            push_outbox.c.status == "pending",
            push_outbox.c.attempts == 0,
        )
    ).first()
    if row is None:
        return False
    body = orjson.loads(row.body)
    body[list_key] = [*body[list_key], *entries]
    updated = conn.execute(
        push_outbox.update()
        .where(push_outbox.c.id == row.id, push_outbox.c.status == "pending", push_outbox.c.attempts == 0)
        .values(body=encode(body))
    ).rowcount
    return updated == 1


def claim_due(engine: Engine, now_ms: int, limit: int = 50) -> list[Message]:
    """Take the messages due now (and those whose sender's lease ran out) for sending."""
    due = sa.or_(
        sa.and_(push_outbox.c.status == "pending", push_outbox.c.next_attempt_ms <= now_ms),
        sa.and_(push_outbox.c.status == "sending", push_outbox.c.lease_until_ms <= now_ms),
    )
    with engine.connect() as conn:
        rows = conn.execute(
            push_outbox.select().where(due).order_by(push_outbox.c.next_attempt_ms, push_outbox.c.id).limit(limit)
        ).mappings().all()
    claimed: list[Message] = []
    for row in rows:
        with engine.begin() as conn:
            taken = conn.execute(
                push_outbox.update()
                .where(push_outbox.c.id == row["id"], due)
                .values(status="sending", lease_until_ms=now_ms + LEASE_MS)
            ).rowcount
            if taken != 1:
                continue
            # Read the body again under the claim: a trigger may have extended it (extend_unsent)
            # between the listing above and the claim, and it can no longer do so now.
            body, attempts = conn.execute(
                sa.select(push_outbox.c.body, push_outbox.c.attempts).where(push_outbox.c.id == row["id"])
            ).one()
        claimed.append(Message(row["id"], row["message_id"], row["subscription_id"], row["account_id"],
                               row["event"], body, int(attempts)))
    return claimed


def record_attempt(
    engine: Engine, message: Message, *, at_ms: int, status_code: int | None, error: str, duration_ms: int,
    gone: bool = False,
    retry: bool = True,
) -> str:
    """Store the attempt and move the message on; returns its new status."""
    attempt = message.attempts + 1
    delivered = status_code is not None and 200 <= status_code < 300
    values: dict[str, Any] = {"attempts": attempt, "lease_until_ms": 0}
    if delivered:
        values.update(status="delivered", delivered_ms=at_ms)
    elif gone or not retry:
        values.update(status="failed")
    else:
        delay = retry_delay_ms(attempt)
        if delay is None:
            values.update(status="failed")
        else:
            values.update(status="pending", next_attempt_ms=at_ms + delay)
    with engine.begin() as conn:
        conn.execute(
            push_attempts.insert().values(
                outbox_id=message.id, subscription_id=message.subscription_id, account_id=message.account_id,
                attempt=attempt, at_ms=at_ms, status_code=status_code, error=error[:500], duration_ms=duration_ms,
            )
        )
        conn.execute(
            push_outbox.update()
            .where(push_outbox.c.id == message.id, push_outbox.c.status == "sending")
            .values(**values)
        )
    return str(values["status"])


def cancel(engine: Engine, message: Message) -> None:
    """Drop a claimed message whose subscription is gone or disabled."""
    with engine.begin() as conn:
        conn.execute(
            push_outbox.update()
            .where(push_outbox.c.id == message.id, push_outbox.c.status == "sending")
            .values(status="cancelled", lease_until_ms=0)
        )


def release(engine: Engine, message_ids: list[int]) -> None:
    """Give back claims of messages whose send was interrupted (shutdown): pending again."""
    if not message_ids:
        return
    with engine.begin() as conn:
        conn.execute(
            push_outbox.update()
            .where(push_outbox.c.id.in_(message_ids), push_outbox.c.status == "sending")
            .values(status="pending", lease_until_ms=0)
        )


def release_all(engine: Engine) -> int:
    """Give back every claim (start-up of the only node: a claim still held is its previous
    life's, killed mid-send); returns how many. The receiver may get that message twice."""
    with engine.begin() as conn:
        return int(conn.execute(
            push_outbox.update().where(push_outbox.c.status == "sending").values(status="pending", lease_until_ms=0)
        ).rowcount)


def deliveries(
    engine: Engine, account_id: str, subscription_ids: list[str] | None, *, status: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Messages of an account (newest first), each with its attempts."""
    query = push_outbox.select().where(push_outbox.c.account_id == account_id)
    if subscription_ids is not None:
        query = query.where(push_outbox.c.subscription_id.in_(subscription_ids))
    if status is not None:
        query = query.where(push_outbox.c.status == status)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(push_outbox.c.id.desc()).limit(limit)).mappings().all()
        ids = [r["id"] for r in rows]
        tries = conn.execute(
            push_attempts.select().where(push_attempts.c.outbox_id.in_(ids)).order_by(push_attempts.c.id)
        ).mappings().all() if ids else []
    by_message: dict[int, list[dict[str, Any]]] = {}
    for t in tries:
        by_message.setdefault(t["outbox_id"], []).append({
            "attempt": t["attempt"], "at_ms": t["at_ms"], "status_code": t["status_code"],
            "error": t["error"] or None, "duration_ms": t["duration_ms"],
        })
    return [
        {
            "id": r["message_id"],
            "subscription_id": r["subscription_id"],
            "event": r["event"],
            "status": r["status"],
            "created_ms": r["created_ms"],
            "next_attempt_ms": r["next_attempt_ms"] if r["status"] == "pending" else None,
            "delivered_ms": r["delivered_ms"],
            "attempts": by_message.get(r["id"], []),
        }
        for r in rows
    ]
