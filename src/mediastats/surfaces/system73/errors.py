"""System73's error shape: ``{"error": str}`` with the HTTP status (CONTRACT §6).

Set on the router (``error_shape(render)``), so bad keys (401), foreign channels, disabled APIs
and unlisted IPs (403), the daily limit (429), bad parameters (400), unknown paths (404) and a
store that is down (503) all answer alike.
"""

from __future__ import annotations

from fastapi.responses import Response

from mediastats.surfaces.respond import json_response


def render(status: int, message: str, param: str | None) -> Response:
    """The vendor's error body; ``param`` is already named in ``message``."""
    del param
    return json_response({"error": message}, status_code=status)
