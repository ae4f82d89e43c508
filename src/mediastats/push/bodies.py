"""Push bodies in WMSPanel's formats (CONTRACT §7) and their signatures.

- daily statistics, server offline / online: ``{"time": "YYYY-MM-DD HH:MM:SS UTC",
  "digest": md5hex(time + token), ...}``
- stream publish / unpublish (Nimble's format): ``{"ID": server_id, "Puzzle": uuid4,
  "Signature": base64(md5(ID + Puzzle + token)), "publish" | "unpublish": [...]}``

Every POST also carries Standard Webhooks headers signed with the subscription's secret, so a
receiver may check either scheme. Bodies are serialized once, when queued; every attempt sends
the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
from standardwebhooks.webhooks import Webhook

EVENTS = ("daily_stats", "server_offline", "server_online", "stream_publish", "stream_unpublish")
STREAM_EVENTS = {"stream_publish": "publish", "stream_unpublish": "unpublish"}


def wms_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def digest(time_text: str, token: str) -> str:
    """WMSPanel's ``digest``: md5 hex of the time string followed by the token."""
    return hashlib.md5((time_text + token).encode()).hexdigest()


def stream_signature(server_id: str, puzzle: str, token: str) -> str:
    """Nimble's ``Signature``: base64 of the raw md5 of ID + Puzzle + token."""
    return base64.b64encode(hashlib.md5((server_id + puzzle + token).encode()).digest()).decode()


def new_token() -> str:
    return secrets.token_urlsafe(18)


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` + base64 of 24 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def new_message_id() -> str:
    return "msg_" + secrets.token_hex(12)


def encode(body: dict[str, Any]) -> str:
    return orjson.dumps(body).decode()


def daily_stats_body(
    now: datetime, token: str, statistics: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """``statistics``: slice id → {"name", "stats": [[day], [day], …]} (newest day first)."""
    time_text = wms_time(now)
    return {"time": time_text, "digest": digest(time_text, token), "statistics": statistics}


def server_status_body(now: datetime, token: str, server_id: str, server_name: str, status: str) -> dict[str, Any]:
    time_text = wms_time(now)
    return {
        "time": time_text,
        "digest": digest(time_text, token),
        "server": server_name or server_id,
        "server_id": server_id,
        "status": status,
    }


def stream_entry(row: dict[str, Any]) -> dict[str, Any]:
    """One stream of a publish / unpublish notification, from a stored event row."""
    entry: dict[str, Any] = {}
    stream_id = row.get("stream_id") or ""
    if stream_id:
        entry["stream"] = stream_id if "/" in stream_id else f"{row.get('channel_id') or 'default'}/{stream_id}"
    if row.get("protocol"):
        entry["protocol"] = row["protocol"]
    entry["time"] = int(row["ts_ms"])
    if row.get("publish_type"):
        entry["type"] = row["publish_type"]
    if row.get("remote_ip"):
        entry["remote_ip"] = row["remote_ip"]
    return entry


def stream_body(server_id: str, kind: str, token: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """``kind`` is ``stream_publish`` or ``stream_unpublish``."""
    puzzle = str(uuid.uuid4())
    return {
        "ID": server_id,
        "Puzzle": puzzle,
        "Signature": stream_signature(server_id, puzzle, token),
        STREAM_EVENTS[kind]: entries,
    }


def webhook_headers(secret: str, message_id: str, moment: datetime, body: str) -> dict[str, str]:
    """Standard Webhooks headers for one attempt."""
    moment = moment.astimezone(UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, moment, body),
    }
