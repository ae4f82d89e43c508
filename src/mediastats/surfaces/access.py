"""What every query call goes through after its key is known, on every surface (CONTRACT §2):
API enabled, IP whitelist, then one unit of the daily limit.

The unit is reserved here and given back by ``limit_middleware`` if the answer is not 2xx, so
only answered calls count and the counter stays exact under concurrency.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.responses import Response

from mediastats.meta.accounts import Access
from mediastats.meta.limits import client_ip, ip_allowed
from mediastats.services import Services
from mediastats.surfaces.errors import AccessError


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def caller_ip(request: Request) -> str:
    services = services_of(request)
    peer = request.client.host if request.client else ""
    return client_ip(peer, request.headers.get("x-forwarded-for"), services.settings.trusted_proxies)


def admit(request: Request, access: Access) -> Access:
    """Raise AccessError unless ``access`` may make this query call now; count it."""
    account = access.account
    if not account.api_enabled:
        raise AccessError(403, "the API is disabled for this account; ask the operator to enable it")
    if not ip_allowed(caller_ip(request), account.ip_whitelist):
        raise AccessError(403, "this IP address is not in the account's whitelist")
    limiter = services_of(request).limiter
    allowed, remaining = limiter.reserve(account.id, account.daily_api_limit)
    request.state.rate_limit = (account.daily_api_limit, remaining)
    if not allowed:
        raise AccessError(429, f"daily API limit of {account.daily_api_limit} calls reached; it resets at 00:00 UTC")
    request.state.reserved_account = account.id
    return access


async def limit_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    reserved = getattr(request.state, "reserved_account", None)
    if reserved is not None and not 200 <= response.status_code < 300:
        services_of(request).limiter.release(reserved)
        limit, remaining = request.state.rate_limit
        request.state.rate_limit = (limit, remaining + 1)
    rate = getattr(request.state, "rate_limit", None)
    if rate is not None:
        response.headers["X-RateLimit-Limit"] = str(rate[0])
        response.headers["X-RateLimit-Remaining"] = str(rate[1])
    return response
