"""The ingest-key cache: a repeated key skips the database, a revoked key stops working at once.

Queries are counted at the engine (SQLAlchemy's ``before_cursor_execute``), so "skips the
database" is observed, not inferred from timings.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mediastats.meta.accounts import AccountStore, IngestKeyCache, secret_hash
from mediastats.meta.db import api_keys, create_engine_for, sqlite_url


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = create_engine_for(sqlite_url(tmp_path))
    yield eng
    eng.dispose()


@pytest.fixture
def queries(engine: Engine) -> list[str]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    return seen


@pytest.fixture
def store(engine: Engine) -> AccountStore:
    accounts = AccountStore(engine)
    accounts.ingest_keys = IngestKeyCache(ttl_s=5.0, clock=FakeClock())
    return accounts


def test_a_repeated_key_is_answered_without_the_database(store: AccountStore, queries: list[str]) -> None:
    created = store.create_account("a")
    queries.clear()
    assert store.ingest_account(created["ingest_key"]) == created["id"]
    first = len(queries)
    assert first > 0
    for _ in range(50):
        assert store.ingest_account(created["ingest_key"]) == created["id"]
    assert len(queries) == first


def test_revoking_takes_effect_at_once_and_the_new_key_works(store: AccountStore) -> None:
    created = store.create_account("a")
    other = store.create_account("b")
    assert store.ingest_account(created["ingest_key"]) == created["id"]
    assert store.ingest_account(other["ingest_key"]) == other["id"]
    new_key = store.revoke_ingest_keys(created["id"])
    assert store.ingest_account(created["ingest_key"]) is None
    assert store.ingest_account(new_key) == created["id"]
    assert store.ingest_account(other["ingest_key"]) == other["id"]  # other accounts keep theirs


def test_a_revocation_made_elsewhere_is_seen_after_the_ttl(store: AccountStore, engine: Engine) -> None:
    created = store.create_account("a")
    assert store.ingest_account(created["ingest_key"]) == created["id"]
    # Another process sharing the database revokes the key: this one cannot hear of it.
    with engine.begin() as conn:
        conn.execute(api_keys.update().where(api_keys.c.account_id == created["id"]).values(revoked=True))
    clock = store.ingest_keys.clock
    assert isinstance(clock, FakeClock)
    clock.now += 4.9
    assert store.ingest_account(created["ingest_key"]) == created["id"]
    clock.now += 0.2
    assert store.ingest_account(created["ingest_key"]) is None


def test_unknown_keys_are_not_cached(store: AccountStore, queries: list[str]) -> None:
    store.create_account("a")
    queries.clear()
    assert store.ingest_account("ik_not-a-key") is None
    once = len(queries)
    assert store.ingest_account("ik_not-a-key") is None
    assert len(queries) == 2 * once
    assert store.ingest_account("") is None


def test_a_lookup_that_began_before_a_revocation_is_not_cached() -> None:
    cache = IngestKeyCache(clock=FakeClock())
    digest = secret_hash("ik_x")
    generation = cache.generation  # the lookup reads the database …
    cache.forget_account("acc")  # … while the key is revoked
    cache.put(digest, "acc", generation)
    assert cache.get(digest) is None
    cache.put(digest, "acc", cache.generation)
    assert cache.get(digest) == "acc"


def test_the_cache_stays_bounded() -> None:
    cache = IngestKeyCache(capacity=3, clock=FakeClock())
    for i in range(10):
        cache.put(secret_hash(f"ik_{i}"), f"acc{i}", cache.generation)
    assert cache.get(secret_hash("ik_9")) == "acc9"
    assert sum(cache.get(secret_hash(f"ik_{i}")) is not None for i in range(10)) <= 3
