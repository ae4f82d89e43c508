"""WMSPanel's error shape (CONTRACT §6): ``{"status": "Error", "message": str}`` with the HTTP
status, so a client behind an API proxy that drops status codes still sees the error.

    403  bad or missing credentials, IP not whitelisted, API disabled, slice not yours
    400  bad or missing dates, ``from`` after ``to``
    429  daily call limit reached
"""

from __future__ import annotations

from fastapi.responses import Response

from mediastats.surfaces.respond import json_response


def render(status: int, message: str, param: str | None) -> Response:
    """Every error under the WMSPanel router, in the vendor's shape."""
    return json_response({"status": "Error", "message": message}, status_code=status)
