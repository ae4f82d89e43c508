"""The running server's parts, built once at start-up and shared by every route and job."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from mediastats.config import Settings
from mediastats.ingest.enrich import Enricher
from mediastats.ingest.pipeline import Ingestor
from mediastats.meta.accounts import AccountStore, secret_hash
from mediastats.meta.db import create_engine_for, sqlite_url
from mediastats.meta.db import settings as settings_table
from mediastats.meta.limits import DailyLimiter
from mediastats.storage.base import Storage
from mediastats.storage.repair import DerivedTablesJournal, repair_interrupted


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    storage: Storage
    engine: Engine
    accounts: AccountStore
    limiter: DailyLimiter
    ingestor: Ingestor
    enricher: Enricher
    # SHA-256 of the operator token; the token itself is shown once, when generated.
    admin_token_hash: str
    generated_admin_token: str | None
    clock: Callable[[], datetime]

    def now_ms(self) -> int:
        return int(self.clock().timestamp() * 1000)

    def close(self) -> None:
        self.enricher.close()
        self.storage.close()
        self.engine.dispose()


def open_storage(settings: Settings) -> Storage:
    if settings.clickhouse_url:
        from mediastats.storage.clickhouse_backend import ClickHouseStorage

        return ClickHouseStorage(settings.clickhouse_url)
    from mediastats.storage.chdb_backend import ChdbStorage

    return ChdbStorage(settings.data_dir, fsync=settings.fsync)


def build_services(settings: Settings, clock: Callable[[], datetime] = utcnow) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    storage = open_storage(settings)
    storage.rollups = settings.rollups
    storage.migrate()
    engine = create_engine_for(settings.database_url or sqlite_url(settings.data_dir))
    enricher = Enricher(
        cache_path=settings.data_dir / "ua-cache.sqlite3", mmdb_path=settings.geoip_city_mmdb
    )
    ingestor = Ingestor(storage, enricher, clock_ms=lambda: int(clock().timestamp() * 1000),
                        shared_store=settings.clickhouse_url is not None)
    if not settings.clickhouse_url:  # the embedded store dies with us: guard its views (repair.py)
        repair_interrupted(storage, settings.data_dir)
        ingestor.writer.journals.append(DerivedTablesJournal(settings.data_dir, fsync=settings.fsync))
    ingestor.restore()
    token_hash, generated = resolve_admin_token(settings, engine)
    return Services(
        settings=settings,
        storage=storage,
        engine=engine,
        accounts=AccountStore(engine),
        limiter=DailyLimiter(engine, clock),
        ingestor=ingestor,
        enricher=enricher,
        admin_token_hash=token_hash,
        generated_admin_token=generated,
        clock=clock,
    )


def resolve_admin_token(settings: Settings, engine: Engine) -> tuple[str, str | None]:
    """(hash of the operator token, the token if it was generated just now).

    MEDIASTATS_ADMIN_TOKEN wins; else the data dir keeps the hash of a token generated on the
    first start, which is printed then and never again."""
    if settings.admin_token:
        return secret_hash(settings.admin_token), None
    with engine.begin() as conn:
        row = conn.execute(
            settings_table.select().where(settings_table.c.key == "admin_token_sha256")
        ).mappings().first()
        if row:
            return str(row["value"]), None
        token = "adm_" + secrets.token_urlsafe(24)
        conn.execute(settings_table.insert().values(key="admin_token_sha256", value=secret_hash(token)))
    return secret_hash(token), token
