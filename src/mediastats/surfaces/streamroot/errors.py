"""Streamroot's error shape: a non-200 status and ``{"message": str}`` (seed, "Errors").

Every message names the parameter it is about, in the seed's words (``invalid since param``).
The seed's second example, ``400 {"error": "invalid content type"}``, is kept for a bad
``contentType`` as an extra key, so clients that read either key understand the answer.
"""

from __future__ import annotations

from fastapi.responses import Response

from mediastats.surfaces.respond import json_response

CONTENT_TYPE_ERROR = "invalid content type"


def render(status: int, message: str, param: str | None) -> Response:
    """The Streamroot body for an error about ``param`` (None: not about one parameter)."""
    if param and param not in message:
        message = f"invalid {param} param: {message}"
    body: dict[str, str] = {"message": message}
    if param == "contentType" and status == 400:
        body["error"] = CONTENT_TYPE_ERROR
    return json_response(body, status_code=status)
