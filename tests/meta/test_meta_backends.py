"""The metadata store's contract, on SQLite and on a real PostgreSQL server: the same SQLAlchemy
Core code creates accounts, slices and keys, authenticates, and keeps the daily counter exact
under concurrency."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from mediastats.meta.accounts import AccountStore
from mediastats.meta.db import create_engine_for, sqlite_url
from mediastats.meta.limits import DailyLimiter
from tests.meta import postgres


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    root = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        eng = create_engine_for(sqlite_url(root))
        yield eng
        eng.dispose()
        return
    if not postgres.available():
        pytest.skip("PostgreSQL binaries are not installed")
    # Outside pytest's tmp tree: the postgres user must be able to reach it.
    pg_root = Path(tempfile.mkdtemp(prefix="mediastats-pg-"))
    server = postgres.Postgres(pg_root / "pg").start()
    try:
        eng = create_engine_for(server.url)
        yield eng
        eng.dispose()
    finally:
        server.stop()
        shutil.rmtree(pg_root, ignore_errors=True)


def test_accounts_slices_and_keys(engine: Engine) -> None:
    store = AccountStore(engine)
    created = store.create_account("Acme")
    access = store.by_secret(created["api_key"])
    assert access is not None and access.account_id == created["id"] and not access.is_user_key
    assert store.by_client(created["client_id"], created["api_key"]) is not None
    assert store.by_client(created["client_id"], "wrong") is None
    assert store.ingest_account(created["ingest_key"]) == created["id"]
    assert store.by_secret(created["ingest_key"]) is None  # an ingest key is not a query key
    news = store.create_slice(created["id"], "news", [], ["news"])
    names = [s.name for s in store.slices(created["id"])]
    assert names == ["Full data slice", "news"]
    user = store.create_key(created["id"], "partner", [news.id])
    user_access = store.by_secret(user["api_key"])
    assert user_access is not None and user_access.slice_ids == (news.id,)
    scope = store.scope(user_access)
    assert scope is not None and scope.slices[0].channels == ("news",)
    full = next(s for s in store.slices(created["id"]) if s.name == "Full data slice")
    assert store.scope(user_access, full.id) is None  # not theirs
    rotated = store.rotate_account_key(created["id"])
    assert store.by_secret(created["api_key"]) is None and store.by_secret(rotated["api_key"]) is not None
    updated = store.update_settings(created["id"], ip_whitelist=["10.0.0.0/8"], daily_api_limit=7)
    assert updated is not None and updated.ip_whitelist == ("10.0.0.0/8",) and updated.daily_api_limit == 7


def test_daily_limit_is_exact_under_concurrency_and_resets(engine: Engine) -> None:
    store = AccountStore(engine)
    account = store.create_account("Busy")["id"]
    now = [datetime(2026, 11, 30, 23, 59, tzinfo=UTC)]
    limiter = DailyLimiter(engine, lambda: now[0])
    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(lambda _: limiter.reserve(account, 25)[0], range(60)))
    assert outcomes.count(True) == 25
    limiter.release(account)  # a call that was not answered 2xx gives its unit back
    assert limiter.reserve(account, 25)[0] is True
    assert limiter.reserve(account, 25)[0] is False
    now[0] = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert limiter.reserve(account, 25) == (True, 24)
