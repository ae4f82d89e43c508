"""The dashboard's own state in the metadata store: signed-in browser sessions.

A row never holds a usable secret on its own: it is keyed by the SHA-256 of the session id
(the cookie), and the API key is stored XOR-ed with a keystream derived from that session id
(see ``sessions.py``). A copy of the database without the cookie reveals no key; a stolen
cookie is void once the row is deleted (sign-out, expiry, or the key being revoked).
"""

from __future__ import annotations

import sqlalchemy as sa

from mediastats.meta.db import metadata

dashboard_sessions = sa.Table(
    "dashboard_sessions",
    metadata,
    sa.Column("id_sha256", sa.String(64), primary_key=True),
    sa.Column("account_id", sa.String(32), nullable=False, index=True),
    sa.Column("sealed_key", sa.String(512), nullable=False),
    sa.Column("created_ms", sa.BigInteger, nullable=False),
    sa.Column("expires_ms", sa.BigInteger, nullable=False, index=True),
)
