"""One HTTP attempt of one message: sign, POST with httpx, classify the answer.

A 2xx answer is a delivery. 410 Gone disables the subscription. Anything else, a refused
target, a connection error or no answer within 10 s is a failure to retry. Redirects are not
followed (a 3xx is a failure).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime

import httpx

from mediastats import __version__
from mediastats.push.bodies import webhook_headers
from mediastats.push.targets import TargetRefused, check_target_async

TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


def new_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=httpx.Timeout(TIMEOUT_S), follow_redirects=False, trust_env=False)


async def post_signed(
    client: httpx.AsyncClient,
    *,
    url: str,
    secret: str,
    message_id: str,
    body: str,
    event: str,
    now: datetime,
    allow_private: bool,
) -> Outcome:
    """POST ``body`` to ``url`` with Standard Webhooks headers; never raises."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        await check_target_async(url, allow_private)
    except TargetRefused as exc:
        return Outcome(None, f"refused: {exc}", took())
    headers = {
        "content-type": "application/json",
        "user-agent": f"mediastats-push/{__version__}",
        "x-mediastats-event": event,
        **webhook_headers(secret, message_id, now, body),
    }
    try:
        async with asyncio.timeout(TIMEOUT_S):  # the whole exchange, not each read
            response = await client.post(url, content=body.encode(), headers=headers)
    except (httpx.TimeoutException, TimeoutError):
        return Outcome(None, f"no answer within {TIMEOUT_S:g} s", took())
    except httpx.HTTPError as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, took())
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return Outcome(response.status_code, error, took())
