"""Accounts, data slices and keys: creating them, and turning a presented secret into Access.

Secrets are random URL-safe strings shown once; only their SHA-256 is stored, and a lookup by
hash is followed by a constant-time comparison.

Ingest keys are looked up on every ``POST /v1/events``; ``IngestKeyCache`` keeps the answers for
a few seconds (a database round trip measured ~2 ms a request). Revoking an account's ingest keys
here drops its entries at once; another process sharing the database (PostgreSQL) sees the
revocation within the TTL.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mediastats.meta.db import accounts, api_keys, data_slices
from mediastats.query.query import Scope, SliceScope

FULL_SLICE_NAME = "Full data slice"
INGEST_KEY_TTL_S = 5.0


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_id(prefix: str = "") -> str:
    return prefix + secrets.token_hex(8)


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    ip_whitelist: tuple[str, ...]
    daily_api_limit: int
    server_offline_after_s: int
    api_enabled: bool

    def settings(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "ip_whitelist": list(self.ip_whitelist),
            "daily_api_limit": self.daily_api_limit,
            "server_offline_after_s": self.server_offline_after_s,
            "api_enabled": self.api_enabled,
        }


@dataclass(frozen=True)
class Slice:
    id: str
    account_id: str
    name: str
    servers: tuple[str, ...]
    channels: tuple[str, ...]

    @property
    def scope(self) -> SliceScope:
        return SliceScope(servers=self.servers, channels=self.channels)


@dataclass(frozen=True)
class Access:
    """Who is asking: an account, and the slices the key may see (None = every slice)."""

    account: Account
    slice_ids: tuple[str, ...] | None
    client_id: str | None = None

    @property
    def account_id(self) -> str:
        return self.account.id

    @property
    def is_user_key(self) -> bool:
        return self.slice_ids is not None


class IngestKeyCache:
    """Recently accepted ingest keys: SHA-256 digest → (digest, account id, expiry), bounded.

    Only keys that were accepted are kept, so unknown keys cannot fill it; each is still checked
    against the database at most once per ``ttl_s``. A hit compares the digest in constant time,
    as the database path does.
    """

    def __init__(self, ttl_s: float = INGEST_KEY_TTL_S, capacity: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.capacity = capacity
        self.clock = clock
        self._items: dict[str, tuple[str, str, float]] = {}
        self._lock = threading.Lock()
        # Bumped by every revocation: a lookup that began before one must not cache its answer.
        self.generation = 0

    def get(self, digest: str) -> str | None:
        found = self._items.get(digest)
        if found is None:
            return None
        stored, account_id, expires = found
        if expires <= self.clock() or not hmac.compare_digest(stored, digest):
            return None
        return account_id

    def put(self, digest: str, account_id: str, generation: int) -> None:
        with self._lock:
            if generation != self.generation:
                return
            if len(self._items) >= self.capacity:
                self._items.clear()  # many live keys at once: start over rather than track age
            self._items[digest] = (digest, account_id, self.clock() + self.ttl_s)

    def forget_account(self, account_id: str) -> None:
        with self._lock:
            self.generation += 1
            self._items = {d: v for d, v in self._items.items() if v[1] != account_id}


class AccountStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.ingest_keys = IngestKeyCache()

    # --- creating -------------------------------------------------------------------------
    def create_account(self, name: str) -> dict[str, str]:
        account_id = new_id()
        ingest_key = "ik_" + secrets.token_urlsafe(24)
        api_key = secrets.token_urlsafe(24)
        client_id = new_id("c")
        with self.engine.begin() as conn:
            conn.execute(
                accounts.insert().values(
                    id=account_id,
                    name=name,
                    ip_whitelist=[],
                    daily_api_limit=15000,
                    server_offline_after_s=1200,
                    api_enabled=True,
                    created_ms=_now_ms(),
                )
            )
            conn.execute(
                data_slices.insert().values(
                    id=new_id(), account_id=account_id, name=FULL_SLICE_NAME, servers=[], channels=[],
                    is_full=True,
                )
            )
            self._insert_key(conn, account_id, "ingest", "ingest", None, ingest_key, [])
            self._insert_key(conn, account_id, "account", "account-wide", client_id, api_key, [])
        return {
            "id": account_id,
            "name": name,
            "ingest_key": ingest_key,
            "client_id": client_id,
            "api_key": api_key,
        }

    def _insert_key(
        self, conn: sa.Connection, account_id: str, kind: str, name: str, client_id: str | None,
        secret: str, slice_ids: list[str],
    ) -> None:
        conn.execute(
            api_keys.insert().values(
                account_id=account_id, kind=kind, name=name, client_id=client_id,
                secret_hash=secret_hash(secret), slice_ids=slice_ids, revoked=False, created_ms=_now_ms(),
            )
        )

    def create_slice(self, account_id: str, name: str, servers: list[str], channels: list[str]) -> Slice:
        slice_id = new_id()
        with self.engine.begin() as conn:
            conn.execute(
                data_slices.insert().values(
                    id=slice_id, account_id=account_id, name=name, servers=servers, channels=channels,
                    is_full=False,
                )
            )
        return Slice(slice_id, account_id, name, tuple(servers), tuple(channels))

    def create_key(self, account_id: str, name: str, slice_ids: list[str] | None) -> dict[str, str]:
        """A user-specific key when ``slice_ids`` is given, else another account-wide key."""
        api_key = secrets.token_urlsafe(24)
        client_id = new_id("c")
        kind = "user" if slice_ids else "account"
        with self.engine.begin() as conn:
            self._insert_key(conn, account_id, kind, name, client_id, api_key, list(slice_ids or []))
        return {"client_id": client_id, "api_key": api_key}

    def rotate_account_key(self, account_id: str) -> dict[str, str]:
        """Revoke every account-wide key and issue a new one."""
        with self.engine.begin() as conn:
            conn.execute(
                api_keys.update()
                .where(api_keys.c.account_id == account_id, api_keys.c.kind == "account")
                .values(revoked=True)
            )
        return self.create_key(account_id, "account-wide", None)

    def revoke_ingest_keys(self, account_id: str) -> str:
        """Revoke the ingest keys and return a new one."""
        ingest_key = "ik_" + secrets.token_urlsafe(24)
        with self.engine.begin() as conn:
            conn.execute(
                api_keys.update()
                .where(api_keys.c.account_id == account_id, api_keys.c.kind == "ingest")
                .values(revoked=True)
            )
            self._insert_key(conn, account_id, "ingest", "ingest", None, ingest_key, [])
        self.ingest_keys.forget_account(account_id)  # after the commit: no request refills it stale
        return ingest_key

    def update_settings(self, account_id: str, **values: Any) -> Account | None:
        allowed = {"ip_whitelist", "daily_api_limit", "server_offline_after_s", "api_enabled", "name"}
        changes = {k: v for k, v in values.items() if k in allowed and v is not None}
        if changes:
            with self.engine.begin() as conn:
                conn.execute(accounts.update().where(accounts.c.id == account_id).values(**changes))
        return self.account(account_id)

    # --- reading --------------------------------------------------------------------------
    def account(self, account_id: str) -> Account | None:
        with self.engine.connect() as conn:
            row = conn.execute(accounts.select().where(accounts.c.id == account_id)).mappings().first()
        return _account(row) if row else None

    def all_accounts(self) -> list[Account]:
        with self.engine.connect() as conn:
            rows = conn.execute(accounts.select().order_by(accounts.c.created_ms)).mappings().all()
        return [_account(r) for r in rows]

    def slices(self, account_id: str) -> list[Slice]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                data_slices.select()
                .where(data_slices.c.account_id == account_id)
                .order_by(data_slices.c.is_full.desc(), data_slices.c.name)
            ).mappings().all()
        return [
            Slice(r["id"], r["account_id"], r["name"], tuple(r["servers"]), tuple(r["channels"]))
            for r in rows
        ]

    def slice(self, account_id: str, slice_id: str) -> Slice | None:
        return next((s for s in self.slices(account_id) if s.id == slice_id), None)

    # --- authenticating -------------------------------------------------------------------
    def by_secret(self, secret: str, kinds: tuple[str, ...] = ("account", "user")) -> Access | None:
        """The Access of an api key presented alone (Bearer, System73, Amagi, Streamroot)."""
        if not secret:
            return None
        digest = secret_hash(secret)
        with self.engine.connect() as conn:
            row = conn.execute(
                api_keys.select().where(api_keys.c.secret_hash == digest, api_keys.c.revoked.is_(False))
            ).mappings().first()
        if row is None or row["kind"] not in kinds or not hmac.compare_digest(row["secret_hash"], digest):
            return None
        return self._access(row)

    def by_client(self, client_id: str, secret: str) -> Access | None:
        """The Access of a WMSPanel-style client_id + api_key pair."""
        if not client_id or not secret:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                api_keys.select().where(api_keys.c.client_id == client_id, api_keys.c.revoked.is_(False))
            ).mappings().first()
        if row is None or not hmac.compare_digest(row["secret_hash"], secret_hash(secret)):
            return None
        return self._access(row)

    def ingest_account(self, ingest_key: str) -> str | None:
        """The account of an ingest key, None if it is unknown or revoked (cached, see above)."""
        if not ingest_key:
            return None
        digest = secret_hash(ingest_key)
        account_id = self.ingest_keys.get(digest)
        if account_id is not None:
            return account_id
        generation = self.ingest_keys.generation
        access = self.by_secret(ingest_key, kinds=("ingest",))
        if access is None:
            return None
        self.ingest_keys.put(digest, access.account_id, generation)
        return access.account_id

    def ingest_key_revoked(self, ingest_key: str) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(
                api_keys.select().where(api_keys.c.secret_hash == secret_hash(ingest_key))
            ).mappings().first()
        return bool(row and row["revoked"])

    def _access(self, key_row: Any) -> Access | None:
        account = self.account(key_row["account_id"])
        if account is None:
            return None
        slice_ids = tuple(key_row["slice_ids"]) if key_row["kind"] == "user" else None
        return Access(account=account, slice_ids=slice_ids, client_id=key_row["client_id"])

    def scope(self, access: Access, slice_id: str | None = None) -> Scope | None:
        """The Scope of ``access``, narrowed to ``slice_id`` if given; None if not theirs."""
        slices = self.slices(access.account_id)
        visible = [s for s in slices if access.slice_ids is None or s.id in access.slice_ids]
        if slice_id is not None:
            visible = [s for s in visible if s.id == slice_id]
        if not visible:
            return None
        return Scope(account_id=access.account_id, slices=tuple(s.scope for s in visible))


def _account(row: Any) -> Account:
    return Account(
        id=row["id"],
        name=row["name"],
        ip_whitelist=tuple(row["ip_whitelist"] or ()),
        daily_api_limit=int(row["daily_api_limit"]),
        server_offline_after_s=int(row["server_offline_after_s"]),
        api_enabled=bool(row["api_enabled"]),
    )
