"""Clients that resend batches (same event_ids, same body), after a timeout or concurrently,
never double count (CONTRACT §3): viewing time counts each played_ms = 1 event once."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.conftest import Account

DAY = "2026-11-05"
START_MS = int(datetime(2026, 11, 5, 9, tzinfo=UTC).timestamp() * 1000)


def batch(prefix: str, n: int) -> list[dict[str, Any]]:
    return [{"ts": START_MS + i, "type": "heartbeat", "session_id": f"{prefix}-s{i % 4}",
             "event_id": f"{prefix}-e{i}", "played_ms": 1} for i in range(n)]


def viewing_time(account: Account) -> int:
    with account.server.client() as c:
        r = c.post("/v1/query", headers={"Authorization": f"Bearer {account.api_key}"},
                   json={"metrics": ["viewing_time_ms"], "date_range": [DAY, DAY]})
    assert r.status_code == 200, r.text
    return int(r.json()["results"][0]["viewing_time_ms"])


def post(account: Account, events: list[dict[str, Any]], timeout: float = 30) -> httpx.Response:
    with httpx.Client(base_url=account.server.url, timeout=timeout) as c:
        return c.post("/v1/events", json=events, headers={"Authorization": f"Bearer {account.ingest_key}"})


def test_a_resent_batch_counts_once(account: Account) -> None:
    events = batch("r", 10)
    assert post(account, events).json() == {"accepted": 10, "duplicates": 0, "rejected": []}
    for _ in range(3):
        assert post(account, events).json() == {"accepted": 0, "duplicates": 10, "rejected": []}
    assert viewing_time(account) == 10


def test_a_resend_overlapping_new_events_stores_only_the_new_ones(account: Account) -> None:
    first, both = batch("o", 6), batch("o", 9)
    assert post(account, first).json()["accepted"] == 6
    assert post(account, both).json() == {"accepted": 3, "duplicates": 6, "rejected": []}
    assert viewing_time(account) == 9


def test_duplicates_inside_one_batch_count_once(account: Account) -> None:
    events = batch("d", 5)
    assert post(account, events + events).json() == {"accepted": 5, "duplicates": 5, "rejected": []}
    assert viewing_time(account) == 5


def test_a_client_that_timed_out_and_resent_counts_once(account: Account) -> None:
    """The first attempt gives up before the answer (it may or may not have been stored)."""
    events = batch("t", 2000)
    with contextlib.suppress(httpx.TimeoutException):
        post(account, events, timeout=0.001)
    answer = post(account, events).json()
    assert answer["accepted"] + answer["duplicates"] == 2000 and not answer["rejected"]
    assert post(account, events).json()["duplicates"] == 2000
    assert viewing_time(account) == 2000


def test_concurrent_duplicate_batches_count_once(account: Account) -> None:
    """20 clients send the same 3 batches at once: each event is accepted exactly once."""
    batches = [batch(f"c{b}", 50) for b in range(3)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda i: post(account, batches[i % 3]).json(), range(60)))
    assert all(a["accepted"] + a["duplicates"] == 50 and not a["rejected"] for a in answers)
    assert sum(a["accepted"] for a in answers) == 150
    assert sum(a["duplicates"] for a in answers) == 60 * 50 - 150
    assert viewing_time(account) == 150


def test_ids_are_per_account(make_account: Any) -> None:
    """The same event_id in two accounts is two events: dedup never crosses tenants."""
    a, b = make_account("ids a"), make_account("ids b")
    events = batch("shared", 4)
    assert post(a, events).json()["accepted"] == 4
    assert post(b, events).json()["accepted"] == 4
    assert viewing_time(a) == 4 and viewing_time(b) == 4


def test_old_events_with_a_known_id_are_still_duplicates(account: Account) -> None:
    """Backfill resends of events days old are recognised too."""
    old = START_MS - int(timedelta(days=3).total_seconds() * 1000)
    events = [{"ts": old + i, "type": "heartbeat", "session_id": "old", "event_id": f"old-{i}", "played_ms": 1}
              for i in range(3)]
    assert post(account, events).json()["accepted"] == 3
    assert post(account, events).json()["duplicates"] == 3
