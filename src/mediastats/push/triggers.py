"""What puts messages in the outbox: stored ingest rows and the passing of time.

- ``server_sync`` rows refresh a server's last arrival; a server that had been alerted offline
  gets one ``server_online`` notification when it syncs again.
- ``stream_publish`` / ``stream_unpublish`` rows become one notification per subscription,
  server and kind; rows arriving within the same second join the still-unsent notification
  (it is sent when that second is over).
- ``offline_servers`` (called by the worker) alerts once per silence, when a server's last
  sync is older than its account's ``server_offline_after_s`` (read at check time).

Servers never seen never alert. The state lives in ``push_servers``; the transition and the
messages it queues are written in one transaction. Ingest reaches ``on_stored_rows`` through the
push journal (``journal.py``), inside the transaction that settles the journal entry.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mediastats.meta.accounts import AccountStore
from mediastats.meta.db import accounts
from mediastats.push.bodies import STREAM_EVENTS, server_status_body, stream_body, stream_entry
from mediastats.push.outbox import extend_unsent, queue
from mediastats.push.subscriptions import SubscriptionStore
from mediastats.push.tables import push_servers
from mediastats.query.buckets import to_ms

Row = dict[str, Any]
TRIGGER_TYPES = frozenset({"server_sync", *STREAM_EVENTS})


def relevant_rows(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r.get("type") in TRIGGER_TYPES]


def on_stored_rows(conn: sa.Connection, engine: Engine, account_id: str, rows: list[Row], now: datetime) -> None:
    """Everything one committed insert of an account triggers (rows already filtered), written
    with ``conn``'s transaction; ``engine`` reads subscriptions and slices."""
    syncs = [r for r in rows if r["type"] == "server_sync" and r.get("server_id")]
    if syncs:
        note_syncs(conn, engine, account_id, syncs, now)
    streams = [r for r in rows if r["type"] in STREAM_EVENTS]
    if streams:
        queue_stream_notifications(conn, engine, account_id, streams, now)


def note_syncs(conn: sa.Connection, engine: Engine, account_id: str, rows: list[Row], now: datetime) -> None:
    latest: dict[str, Row] = {}
    for row in rows:
        latest[row["server_id"]] = row
    for server_id, row in latest.items():
        arrived, name = int(row.get("received_ms") or 0), str(row.get("server_name") or "")
        for _ in range(3):  # the worker may flip the flag between our read and our write
            if _note_sync(conn, engine, account_id, server_id, name, arrived, now):
                break


def _note_sync(conn: sa.Connection, engine: Engine, account_id: str, server_id: str, name: str, arrived: int,
               now: datetime) -> bool:
    where = (push_servers.c.account_id == account_id, push_servers.c.server_id == server_id)
    known = conn.execute(
        sa.select(push_servers.c.offline, push_servers.c.server_name, push_servers.c.last_sync_ms).where(*where)
    ).first()
    if known is None:
        conn.execute(push_servers.insert().values(
            account_id=account_id, server_id=server_id, server_name=name, last_sync_ms=arrived, offline=False,
        ))
        return True
    name = name or known.server_name
    changed = conn.execute(
        push_servers.update()
        .where(*where, push_servers.c.offline.is_(bool(known.offline)))
        .values(last_sync_ms=max(int(known.last_sync_ms), arrived), server_name=name, offline=False)
    ).rowcount
    if not changed:
        return False
    if known.offline:
        slices = AccountStore(engine).slices(account_id)
        for sub in SubscriptionStore(engine).active_for(account_id, "server_online"):
            if sub.covers_server(slices, server_id):
                queue(conn, subscription_id=sub.id, account_id=account_id, event="server_online",
                      body=server_status_body(now, sub.token, server_id, name, "online"), now_ms=to_ms(now))
    return True


def offline_servers(engine: Engine, now: datetime) -> int:
    """Alert every server whose silence just passed its account's threshold; returns how many."""
    now_ms = to_ms(now)
    threshold_ms = accounts.c.server_offline_after_s * 1000
    with engine.connect() as conn:
        silent = conn.execute(
            sa.select(push_servers.c.account_id, push_servers.c.server_id, push_servers.c.server_name)
            .join(accounts, accounts.c.id == push_servers.c.account_id)
            .where(push_servers.c.offline.is_(False), push_servers.c.last_sync_ms + threshold_ms <= now_ms)
        ).all()
    subs = SubscriptionStore(engine)
    alerted = 0
    for account_id, server_id, server_name in silent:
        slices = AccountStore(engine).slices(account_id)
        with engine.begin() as conn:
            flipped = conn.execute(
                push_servers.update()
                .where(push_servers.c.account_id == account_id, push_servers.c.server_id == server_id,
                       push_servers.c.offline.is_(False))
                .values(offline=True)
            ).rowcount
            if not flipped:
                continue
            alerted += 1
            for sub in subs.active_for(account_id, "server_offline"):
                if sub.covers_server(slices, server_id):
                    body = server_status_body(now, sub.token, server_id, server_name, "offline")
                    queue(conn, subscription_id=sub.id, account_id=account_id, event="server_offline",
                          body=body, now_ms=now_ms)
    return alerted


def queue_stream_notifications(conn: sa.Connection, engine: Engine, account_id: str, rows: list[Row],
                               now: datetime) -> None:
    now_ms = to_ms(now)
    second = now_ms // 1000
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        groups[(row["type"], str(row.get("server_id") or ""))].append(row)
    subs = SubscriptionStore(engine)
    slices = AccountStore(engine).slices(account_id)
    for (kind, server_id), items in groups.items():
        for sub in subs.active_for(account_id, kind):
            mine = [r for r in items if sub.covers_stream(slices, server_id, str(r.get("channel_id") or ""))]
            if not mine:
                continue
            entries = [stream_entry(r) for r in mine]
            key = f"{kind}:{server_id}:{second}"
            if extend_unsent(conn, sub.id, key, STREAM_EVENTS[kind], entries):
                continue
            queue(conn, subscription_id=sub.id, account_id=account_id, event=kind,
                  body=stream_body(server_id, kind, sub.token, entries), now_ms=now_ms,
                  not_before_ms=(second + 1) * 1000, coalesce_key=key)
