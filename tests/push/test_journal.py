"""The push journal closes the window between an insert and its triggers (push/journal.py).

A kill right after the insert is simulated by a journal whose ``apply`` never runs: the batch
is acknowledged, nothing is queued, the entry stays. The client resends (dedup answers
"duplicates"), and recovery — what ``serve`` runs at start-up — queues the notification once.
The real-process version (SIGKILL at random moments) is the crash drill in tests/reliability."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from mediastats.push import journal
from mediastats.push.tables import push_journal, push_outbox
from tests.conftest import Account


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _push_journal(account: Account) -> journal.PushJournal:
    found = [j for j in account.server.services.ingestor.writer.journals if isinstance(j, journal.PushJournal)]
    assert len(found) == 1, "serve installs exactly one push journal"
    return found[0]


def _entries(account: Account) -> list[dict[str, Any]]:
    with account.server.services.engine.connect() as conn:
        rows = conn.execute(sa.select(push_journal).where(push_journal.c.account_id == account.id)).mappings()
        return [dict(r) for r in rows]


def _queued(account: Account, event: str) -> int:
    with account.server.services.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(push_outbox).where(
            push_outbox.c.account_id == account.id, push_outbox.c.event == event)).scalar_one())


def _publish(stream: str) -> list[dict[str, Any]]:
    ts = _ms(datetime.now(UTC)) - 5_000
    return [{"ts": ts, "type": "stream_publish", "server_id": "edge-j", "stream_id": stream,
             "event_id": f"pub-{stream}"},
            {"ts": ts, "type": "heartbeat", "session_id": f"s-{stream}", "played_ms": 1000,
             "event_id": f"hb-{stream}"}]


def _recover(account: Account, *, later: timedelta = timedelta()) -> int:
    services = account.server.services
    return journal.recover(services.engine, services.storage, services.clock() + later, min_age_ms=0)


def test_a_kill_between_insert_and_triggers_is_recovered_once(
    account: Account, receivers: Any, subscribe: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rx = receivers()
    subscribe(account, rx.url, ["stream_publish"], token="tk")
    stream = uuid.uuid4().hex[:8]
    monkeypatch.setattr(_push_journal(account), "apply", lambda _ticket: None)  # "killed" after the insert

    assert account.send(_publish(stream))["accepted"] == 2
    entries = _entries(account)
    assert len(entries) == 1 and _queued(account, "stream_publish") == 0
    assert "heartbeat" not in entries[0]["rows"]  # only trigger rows are journaled

    assert account.send(_publish(stream))["duplicates"] == 2  # the client resends: nothing new stored
    assert len(_entries(account)) == 1

    assert _recover(account) == 1
    assert _entries(account) == [] and _queued(account, "stream_publish") == 1
    got = rx.wait_for(1)
    assert [e["stream"] for e in got[0].body["publish"]] == [f"default/{stream}"]
    assert _recover(account) == 0 and len(rx.settle(1.5)) == 1


def test_an_insert_that_never_landed_triggers_nothing(
    account: Account, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = server.services.storage

    def refuse(*_args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(storage, "insert_json_rows", refuse)
    with server.client() as c:
        r = c.post("/v1/events", json=_publish("lost"), headers={"Authorization": f"Bearer {account.ingest_key}"})
    assert r.status_code >= 500
    monkeypatch.undo()
    assert len(_entries(account)) == 1  # the failure may be ambiguous: recovery looks in the store
    assert _recover(account) == 0 and len(_entries(account)) == 1  # not stored, maybe still landing
    assert _recover(account, later=timedelta(milliseconds=journal.ABANDON_MS)) == 0
    assert _entries(account) == [] and _queued(account, "stream_publish") == 0


def test_concurrent_appliers_queue_once(account: Account, receivers: Any, subscribe: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    rx = receivers()
    subscribe(account, rx.url, ["stream_publish"], token="tk")
    monkeypatch.setattr(_push_journal(account), "apply", lambda _ticket: None)
    account.send(_publish(uuid.uuid4().hex[:8]))
    [entry] = _entries(account)
    services = account.server.services
    outcomes: list[bool] = []
    threads = [threading.Thread(target=lambda: outcomes.append(
        journal.apply_entry(services.engine, int(entry["id"])))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [False, False, False, True]
    assert _queued(account, "stream_publish") == 1
    assert len(rx.wait_for(1)) == 1 and len(rx.settle(1.5)) == 1
