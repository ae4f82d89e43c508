"""Push tables, declared on the shared metadata (SQLite or PostgreSQL, SQLAlchemy Core).

- ``push_subscriptions``  a receiver URL, the events it wants, its WMSPanel token and its
                          Standard Webhooks secret; ``slice_ids`` when a user-specific key made it
- ``push_outbox``         one message to one subscription: the exact body bytes, its state
                          (pending → sending → delivered | failed | cancelled) and next attempt
- ``push_attempts``       every HTTP attempt of a message, with the receiver's status code
- ``push_servers``        per media server: arrival of its last ``server_sync`` and whether
                          an offline alert is outstanding (one alert per silence)
- ``push_journal``        trigger rows of an insert, written before it and removed when their
                          notifications are queued (``journal.py``: a crash in between loses none)

The outbox is the durable part: triggers insert rows in the same transaction that decides to
send them, the worker claims a row with a lease before sending and records the outcome after,
so a restart resends what was pending and never what was acknowledged.
"""

from __future__ import annotations

import sqlalchemy as sa

from mediastats.meta.db import metadata

push_subscriptions = sa.Table(
    "push_subscriptions",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(32), nullable=False, index=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("events", sa.JSON, nullable=False),
    sa.Column("token", sa.String(200), nullable=False),
    sa.Column("secret", sa.String(200), nullable=False),
    # The slices of the user-specific key that created it (None: every slice of the account).
    sa.Column("slice_ids", sa.JSON, nullable=True),
    sa.Column("owner_client_id", sa.String(64), nullable=True),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("disabled_reason", sa.Text, nullable=False, default=""),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
)

push_outbox = sa.Table(
    "push_outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # The Standard Webhooks ``webhook-id``: the same on every attempt (receivers dedup by it).
    sa.Column("message_id", sa.String(40), nullable=False, unique=True),
    sa.Column("subscription_id", sa.String(32), nullable=False, index=True),
    sa.Column("account_id", sa.String(32), nullable=False, index=True),
    sa.Column("event", sa.String(32), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_ms", sa.BigInteger, nullable=False, index=True),
    sa.Column("lease_until_ms", sa.BigInteger, nullable=False, default=0),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
    sa.Column("delivered_ms", sa.BigInteger, nullable=True),
    # Stream notifications of one server, kind and second are merged while still unsent.
    sa.Column("coalesce_key", sa.String(300), nullable=True, index=True),
    # "daily:<date>" for the automatic daily push: at most one per subscription and day.
    sa.Column("dedup_key", sa.String(64), nullable=True),
    sa.UniqueConstraint("subscription_id", "dedup_key", name="uq_push_outbox_dedup"),
)

push_attempts = sa.Table(
    "push_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("outbox_id", sa.Integer, nullable=False, index=True),
    sa.Column("subscription_id", sa.String(32), nullable=False, index=True),
    sa.Column("account_id", sa.String(32), nullable=False, index=True),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("at_ms", sa.BigInteger, nullable=False),
    sa.Column("status_code", sa.Integer, nullable=True),
    sa.Column("error", sa.Text, nullable=False, default=""),
    sa.Column("duration_ms", sa.Integer, nullable=False, default=0),
)

push_servers = sa.Table(
    "push_servers",
    metadata,
    sa.Column("account_id", sa.String(32), primary_key=True),
    sa.Column("server_id", sa.String(200), primary_key=True),
    sa.Column("server_name", sa.String(200), nullable=False, default=""),
    sa.Column("last_sync_ms", sa.BigInteger, nullable=False),
    sa.Column("offline", sa.Boolean, nullable=False, default=False),
)

push_journal = sa.Table(
    "push_journal",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("account_id", sa.String(32), nullable=False),
    # The trigger rows (JSON array of the columns triggers read) of one account in one insert.
    sa.Column("rows", sa.Text, nullable=False),
    sa.Column("created_ms", sa.BigInteger, nullable=False, index=True),
)
