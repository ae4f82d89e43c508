"""Amagi's error shape: ``{"statusCode": n, "error": "<HTTP reason>", "message": str}`` (CONTRACT §6).

Amagi answers a missing or invalid parameter with 422 ("Unprocessable entity", seed §2), so a
400 from the Query core or from FastAPI's validation is rendered as 422 here. Every message
about a parameter names it.
"""

from __future__ import annotations

from http import HTTPStatus

from fastapi.responses import Response

from mediastats.surfaces.respond import json_response

# The reasons the real service prints (Python's own table says "Unprocessable Content" on 3.13).
REASONS = {
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def reason(status: int) -> str:
    if status in REASONS:
        return REASONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def render(status: int, message: str, param: str | None) -> Response:
    """The Amagi body for an error (about ``param`` when given)."""
    if status == 400:
        status = 422
    if param and param not in message:
        message = f'"{param}": {message}'
    return json_response({"statusCode": status, "error": reason(status), "message": message}, status_code=status)
