"""The metadata store: small, transactional, SQLAlchemy Core on SQLite (default) or PostgreSQL.

Every table of the server's own state is declared on ``metadata``: accounts, keys and slices
here; push subscriptions and the outbox in ``push/tables.py``; report schedules in
``reports/tables.py``. ``create_engine_for`` creates them all.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

metadata = sa.MetaData()

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("ip_whitelist", sa.JSON, nullable=False, default=list),
    sa.Column("daily_api_limit", sa.Integer, nullable=False, default=15000),
    sa.Column("server_offline_after_s", sa.Integer, nullable=False, default=1200),
    sa.Column("api_enabled", sa.Boolean, nullable=False, default=True),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
)

data_slices = sa.Table(
    "data_slices",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("account_id", sa.String(32), sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("servers", sa.JSON, nullable=False, default=list),
    sa.Column("channels", sa.JSON, nullable=False, default=list),
    sa.Column("is_full", sa.Boolean, nullable=False, default=False),
)

# One row per credential. kind: "ingest" (ingest_key), "account" (account-wide api key) or
# "user" (limited to slice_ids). Only hashes of secrets are stored.
api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("account_id", sa.String(32), sa.ForeignKey("accounts.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("name", sa.String(200), nullable=False, default=""),
    sa.Column("client_id", sa.String(64), nullable=True, unique=True),
    sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("slice_ids", sa.JSON, nullable=False, default=list),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
)

api_usage = sa.Table(
    "api_usage",
    metadata,
    sa.Column("account_id", sa.String(32), primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("calls", sa.Integer, nullable=False, default=0),
)

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'meta.sqlite3'}"


def create_engine_for(url: str) -> Engine:
    """An engine with every table of ``metadata`` created."""
    # Import for their side effect: they declare their tables on ``metadata``.
    import mediastats.push.tables
    import mediastats.reports.tables  # noqa: F401

    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(conn, _record):  # type: ignore[no-untyped-def]
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.close()
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine
