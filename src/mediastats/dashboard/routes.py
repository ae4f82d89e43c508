"""Static files the server serves: the browser beacon SDK (and the dashboard page)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

STATIC = Path(__file__).parent / "static"

router = APIRouter(tags=["dashboard"])


@router.get("/sdk/mediastats.js", include_in_schema=False)
def sdk() -> Response:
    """The beacon, importable cross-origin as an ES module."""
    return Response(
        (STATIC / "sdk" / "mediastats.js").read_bytes(),
        media_type="text/javascript",
        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"},
    )
