"""Errors are data; each door renders them in its own shape.

    ApiError                 status + message (+ the parameter it is about)
     ├── AccessError         401 / 403 / 429 before any work is done (surfaces/access.py)
     └── query.QueryError    400: a parameter the Query core cannot use (mediastats.query)

A surface's router sets ``request.state.render_error`` (via ``error_shape(render)``); the
app-wide handlers below use it for every error raised under that router, including FastAPI's
own validation errors, so no surface ever answers in another's shape, or with a 500 for bad input.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from mediastats.query.errors import QueryError

Renderer = Callable[[int, str, str | None], Response]


class ApiError(Exception):
    def __init__(self, status: int, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param


class AccessError(ApiError):
    """The caller may not ask this (bad key, IP, disabled API, daily limit)."""


def native_error(status: int, message: str, param: str | None) -> Response:
    body: dict[str, object] = {"error": {"status": status, "message": message}}
    if param:
        body["error"]["field"] = param  # type: ignore[index]
    return JSONResponse(body, status_code=status)


def error_shape(render: Renderer) -> Callable[[Request], None]:
    """A router dependency that makes every error under the router render with ``render``."""

    def set_shape(request: Request) -> None:
        request.state.render_error = render

    return set_shape


def _renderer(request: Request) -> Renderer:
    return getattr(request.state, "render_error", native_error)


async def api_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _renderer(request)(exc.status, exc.message, exc.param)


async def query_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, QueryError)
    return _renderer(request)(exc.status, exc.message, exc.param)


async def validation_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "header")]
    param = ".".join(loc) or None
    message = f"{param}: {first.get('msg', 'invalid')}" if param else str(first.get("msg", "invalid"))
    return _renderer(request)(400, message, param)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    return _renderer(request)(exc.status_code, str(exc.detail), None)


HANDLERS: dict[type[Exception], Callable[[Request, Exception], object]] = {
    ApiError: api_error_handler,
    QueryError: query_error_handler,
    RequestValidationError: validation_error_handler,
    StarletteHTTPException: http_error_handler,
}
