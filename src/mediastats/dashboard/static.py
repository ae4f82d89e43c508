"""The dashboard's static files: read once, served with ETags, gzip and caching headers.

No build step: the files in ``static/`` are what the browser runs (ES modules, CSS, the
vendored uPlot). App files are revalidated after 5 minutes (ETag → 304), the vendored library
after a day; the page itself is always revalidated so an upgrade shows at once.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response

from mediastats.surfaces.errors import ApiError

STATIC = Path(__file__).parent / "static"

# The page runs only its own code, talks only to its own origin, and may not be framed.
PAGE_SECURITY = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    media_type: str
    etag: str


@lru_cache(maxsize=128)
def asset(relative: str, mtime_ns: int) -> Asset:
    """The file at ``static/<relative>`` (cached per modification time)."""
    del mtime_ns  # part of the cache key only
    path = STATIC / relative
    body = path.read_bytes()
    media_type = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type.endswith(("json", "javascript", "svg+xml")):
        media_type += "; charset=utf-8"
    gzipped = gzip.compress(body, 6, mtime=0) if len(body) > 1024 and "charset" in media_type else None
    return Asset(body, gzipped, media_type, '"' + hashlib.sha256(body).hexdigest()[:20] + '"')


def _resolve(relative: str) -> tuple[str, int]:
    path = (STATIC / relative).resolve()
    if not path.is_relative_to(STATIC.resolve()) or not path.is_file():
        raise ApiError(404, f"no file {relative!r}")
    return str(path.relative_to(STATIC.resolve())), path.stat().st_mtime_ns


def cache_control(relative: str) -> str:
    if relative.endswith(".html"):
        return "no-cache"
    if relative.startswith("vendor/"):
        return "public, max-age=86400"
    return "public, max-age=300"


def file_response(request: Request, relative: str, extra: dict[str, str] | None = None) -> Response:
    """``static/<relative>``: 304 when the browser's copy is current, gzip when it accepts it."""
    name, mtime = _resolve(relative)
    found = asset(name, mtime)
    zipped = found.gzipped is not None and "gzip" in request.headers.get("accept-encoding", "")
    # Each encoding is its own representation, with its own validator.
    etag = found.etag[:-1] + '-gz"' if zipped else found.etag
    headers = {"ETag": etag, "Cache-Control": cache_control(name), "Vary": "Accept-Encoding", **(extra or {})}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if zipped:
        headers["Content-Encoding"] = "gzip"
        return Response(found.gzipped, media_type=found.media_type, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)
