"""Receiver-side checks, written the way a WMSPanel / Nimble handler and a Standard Webhooks
receiver verify what they get (independently of the server's code)."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from typing import Any

from standardwebhooks.webhooks import Webhook

from tests.push.receiver import Received


def md5hex(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def assert_digest(body: dict[str, Any], token: str) -> None:
    assert body["digest"] == md5hex(body["time"] + token)


def assert_nimble_signature(body: dict[str, Any], token: str) -> None:
    raw = hashlib.md5((body["ID"] + body["Puzzle"] + token).encode()).digest()
    assert body["Signature"] == base64.b64encode(raw).decode()


def assert_standard_webhook(got: Received, secret: str, *, clock_shifted: bool = False) -> None:
    """Verify like a receiver does; with a shifted test clock the timestamp is not "now", so
    the signature is checked for the timestamp the header carries."""
    if not clock_shifted:
        Webhook(secret).verify(got.raw, got.headers)
        return
    moment = datetime.fromtimestamp(int(got.headers["webhook-timestamp"]), tz=UTC)
    expected = Webhook(secret).sign(got.headers["webhook-id"], moment, got.raw.decode())
    assert expected in got.headers["webhook-signature"].split(" ")


def wms_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
