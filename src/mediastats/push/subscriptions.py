"""Push subscriptions: who gets which events, and which of the account's data they may see.

A subscription made with an account-wide key sees the whole account; one made with a
user-specific key is bound to that key's slices: it gets daily statistics of those slices
only, and server / stream notifications only for servers (and channels) those slices cover.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mediastats.meta.accounts import Access, Slice, new_id
from mediastats.push.bodies import new_secret, new_token
from mediastats.push.tables import push_outbox, push_subscriptions


@dataclass(frozen=True)
class Subscription:
    id: str
    account_id: str
    url: str
    events: tuple[str, ...]
    token: str
    secret: str
    slice_ids: tuple[str, ...] | None
    owner_client_id: str | None
    active: bool
    disabled_reason: str
    created_ms: int

    def public(self) -> dict[str, Any]:
        """What the API lists (the secret is shown once, at creation)."""
        return {
            "id": self.id,
            "url": self.url,
            "events": list(self.events),
            "token": self.token,
            "data_slices": list(self.slice_ids) if self.slice_ids is not None else None,
            "status": "active" if self.active else "disabled",
            "disabled_reason": self.disabled_reason or None,
            "created_ms": self.created_ms,
        }

    def visible_slices(self, slices: list[Slice]) -> list[Slice]:
        return [s for s in slices if self.slice_ids is None or s.id in self.slice_ids]

    def covers_server(self, slices: list[Slice], server_id: str) -> bool:
        return any(not s.servers or server_id in s.servers for s in self.visible_slices(slices))

    def covers_stream(self, slices: list[Slice], server_id: str, channel_id: str) -> bool:
        return any(
            (not s.servers or server_id in s.servers) and (not s.channels or channel_id in s.channels)
            for s in self.visible_slices(slices)
        )


def _subscription(row: Any) -> Subscription:
    return Subscription(
        id=row["id"],
        account_id=row["account_id"],
        url=row["url"],
        events=tuple(row["events"]),
        token=row["token"],
        secret=row["secret"],
        slice_ids=tuple(row["slice_ids"]) if row["slice_ids"] is not None else None,
        owner_client_id=row["owner_client_id"],
        active=bool(row["active"]),
        disabled_reason=row["disabled_reason"] or "",
        created_ms=int(row["created_ms"]),
    )


class SubscriptionStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(
        self, access: Access, url: str, events: list[str], token: str | None, now_ms: int | None = None
    ) -> Subscription:
        values = {
            "id": new_id("sub"),
            "account_id": access.account_id,
            "url": url,
            "events": list(dict.fromkeys(events)),
            "token": token or new_token(),
            "secret": new_secret(),
            "slice_ids": list(access.slice_ids) if access.slice_ids is not None else None,
            "owner_client_id": access.client_id if access.is_user_key else None,
            "active": True,
            "disabled_reason": "",
            "created_ms": now_ms if now_ms is not None else int(time.time() * 1000),
        }
        with self.engine.begin() as conn:
            conn.execute(push_subscriptions.insert().values(**values))
        return _subscription(values)

    def get(self, subscription_id: str) -> Subscription | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                push_subscriptions.select().where(push_subscriptions.c.id == subscription_id)
            ).mappings().first()
        return _subscription(row) if row else None

    def visible_to(self, access: Access) -> list[Subscription]:
        """The account's subscriptions; a user-specific key sees only the ones it made."""
        query = push_subscriptions.select().where(push_subscriptions.c.account_id == access.account_id)
        if access.is_user_key:
            query = query.where(push_subscriptions.c.owner_client_id == access.client_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(push_subscriptions.c.created_ms)).mappings().all()
        return [_subscription(r) for r in rows]

    def one_visible(self, access: Access, subscription_id: str) -> Subscription | None:
        return next((s for s in self.visible_to(access) if s.id == subscription_id), None)

    def active_for(self, account_id: str | None, event: str) -> list[Subscription]:
        """Active subscriptions to ``event`` (of one account, or of every account)."""
        query = push_subscriptions.select().where(push_subscriptions.c.active.is_(True))
        if account_id is not None:
            query = query.where(push_subscriptions.c.account_id == account_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(push_subscriptions.c.created_ms)).mappings().all()
        return [s for s in map(_subscription, rows) if event in s.events]

    def delete(self, subscription_id: str) -> None:
        """Remove it and cancel what it had not been sent yet."""
        with self.engine.begin() as conn:
            conn.execute(push_subscriptions.delete().where(push_subscriptions.c.id == subscription_id))
            _cancel_pending(conn, subscription_id)

    def disable(self, subscription_id: str, reason: str) -> None:
        """Stop sending (the receiver answered 410 Gone) and cancel what was queued."""
        with self.engine.begin() as conn:
            conn.execute(
                push_subscriptions.update()
                .where(push_subscriptions.c.id == subscription_id)
                .values(active=False, disabled_reason=reason)
            )
            _cancel_pending(conn, subscription_id)


def _cancel_pending(conn: sa.Connection, subscription_id: str) -> None:
    conn.execute(
        push_outbox.update()
        .where(push_outbox.c.subscription_id == subscription_id, push_outbox.c.status == "pending")
        .values(status="cancelled")
    )
