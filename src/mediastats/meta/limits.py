"""Per-account query limits: the daily call budget and the IP whitelist (CONTRACT §2).

The daily counter is exact under concurrency and across restarts: a call *reserves* one unit
with a single conditional UPDATE (``calls < limit``), and gives it back if it was not answered
2xx. The window starts at 00:00 UTC; the clock is injectable for tests.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from mediastats.meta.db import api_usage


def utc_day(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%d")


class DailyLimiter:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def reserve(self, account_id: str, limit: int) -> tuple[bool, int]:
        """Take one call of today's budget. Returns (allowed, remaining after this call)."""
        day = utc_day(self.clock())
        with self.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO api_usage (account_id, day, calls) VALUES (:a, :d, 0) "
                    "ON CONFLICT (account_id, day) DO NOTHING"
                ),
                {"a": account_id, "d": day},
            )
            taken = conn.execute(
                api_usage.update()
                .where(
                    api_usage.c.account_id == account_id,
                    api_usage.c.day == day,
                    api_usage.c.calls < limit,
                )
                .values(calls=api_usage.c.calls + 1)
            ).rowcount
            calls = conn.execute(
                sa.select(api_usage.c.calls).where(
                    api_usage.c.account_id == account_id, api_usage.c.day == day
                )
            ).scalar_one()
        return taken == 1, max(limit - int(calls), 0)

    def release(self, account_id: str) -> None:
        """Give back a reserved call that was not answered 2xx."""
        day = utc_day(self.clock())
        with self.engine.begin() as conn:
            conn.execute(
                api_usage.update()
                .where(api_usage.c.account_id == account_id, api_usage.c.day == day, api_usage.c.calls > 0)
                .values(calls=api_usage.c.calls - 1)
            )

    def used(self, account_id: str) -> int:
        day = utc_day(self.clock())
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(api_usage.c.calls).where(
                    api_usage.c.account_id == account_id, api_usage.c.day == day
                )
            ).scalar()
        return int(value or 0)


def ip_allowed(ip: str, whitelist: Iterable[str]) -> bool:
    """True when the whitelist is empty or ``ip`` is in one of its addresses/CIDR blocks."""
    entries = list(whitelist)
    if not entries:
        return True
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for entry in entries:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(peer: str, forwarded_for: str | None, trusted_proxies: Iterable[str]) -> str:
    """The caller's address; ``X-Forwarded-For`` is believed only from a trusted proxy."""
    proxies = list(trusted_proxies)
    if not forwarded_for or not proxies or not ip_allowed(peer, proxies):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    # Walk from the nearest hop outwards, skipping our own proxies.
    for hop in reversed(hops):
        if not ip_allowed(hop, proxies):
            return hop
    return hops[0] if hops else peer
