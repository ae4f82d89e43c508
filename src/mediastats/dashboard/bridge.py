"""Native API calls on behalf of a dashboard session, for routes that accept only a Bearer key.

Routes that authenticate with ``bearer_access`` take the session cookie directly. The push
routes check ``Authorization: Bearer`` themselves, so the page reaches them through
``GET /dashboard/api/v1/push/...``: the same request, re-dispatched in-process through the
whole app (middleware, admission, the route's own checks) with the session's key as the
Bearer header. No answer is computed here; the route's own answer is passed through.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.types import Message

# Native paths a session may reach through the bridge (read-only).
BRIDGED = ("/v1/push/subscriptions", "/v1/push/deliveries")


async def forward_get(request: Request, path: str, api_key: str) -> Response:
    """The app's answer to ``GET <path>?<same query>`` made with ``Bearer <api_key>``."""
    headers = [(k, v) for k, v in request.scope["headers"] if k not in (b"authorization", b"cookie")]
    headers.append((b"authorization", b"Bearer " + api_key.encode()))
    scope: dict[str, Any] = {
        key: value for key, value in request.scope.items()
        if key in ("type", "asgi", "http_version", "scheme", "server", "client", "root_path", "query_string", "app")
    }
    scope.update(method="GET", path=path, raw_path=path.encode(), headers=headers, state={})

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    status = 500
    answer_headers: list[tuple[bytes, bytes]] = []
    body = bytearray()

    async def send(message: Message) -> None:
        nonlocal status, answer_headers
        if message["type"] == "http.response.start":
            status = message["status"]
            answer_headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await request.app(scope, receive, send)
    response = Response(bytes(body), status_code=status)
    response.raw_headers = [(k, v) for k, v in answer_headers if k.lower() != b"content-length"]
    response.headers["content-length"] = str(len(body))
    return response
