"""The WMSPanel pull API (seed 000, CONTRACT §6): paths below the prefix are exactly the vendor's.

    GET /v1/data_slices     [show_servers=true]
    GET /v1/players_stats   from, to, data_slice, [server, [stream]]
    GET /v1/devices_stats   from, to, data_slice, [server, [stream]]
    GET /v1/daily_stats     from, to, data_slice

Each handler parses, builds Queries, runs them and serializes. Answers for closed days come from
``cache.DayCache`` (the vendor's "API proxy", built in).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from mediastats.meta.accounts import Access
from mediastats.query import QueryError, Scope, run_query
from mediastats.surfaces.access import services_of
from mediastats.surfaces.errors import ApiError, error_shape
from mediastats.surfaces.wmspanel import serialize, translate
from mediastats.surfaces.wmspanel.auth import wms_access
from mediastats.surfaces.wmspanel.cache import install_day_cache
from mediastats.surfaces.wmspanel.daily import daily_stats_days
from mediastats.surfaces.wmspanel.errors import render
from mediastats.surfaces.wmspanel.translate import StatsRequest

Stats = list[dict[str, Any]]
router = APIRouter(dependencies=[Depends(error_shape(render))], tags=["wmspanel"])

# daily_stats runs two Queries, then two per 60 days with data; a year is the most one call may ask for.
MAX_DAILY_STATS_DAYS = 366


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


@router.get("/v1/data_slices")
async def data_slices(request: Request, access: Access = Depends(wms_access)) -> Response:
    """The caller's data slices; with ``show_servers=true`` each one's ``server_ids``."""
    services = services_of(request)
    slices = [s for s in services.accounts.slices(access.account_id)
              if access.slice_ids is None or s.id in access.slice_ids]
    show = translate.flag(request.query_params, "show_servers")
    entries = []
    for piece in slices:
        servers: list[str] | None = None
        if show:
            # A slice limited to some servers has those; any other, the servers seen in it.
            servers = sorted(piece.servers) if piece.servers else serialize.server_ids(
                await run_query(services.storage, translate.servers_query(
                    Scope(access.account_id, (piece.scope,)), services.clock())))
        entries.append(serialize.data_slice_entry(piece, servers))
    return _json(serialize.ok_body(data_slices=entries))


async def _stats(
    request: Request, access: Access, endpoint: str, req: StatsRequest, *, spans: bool,
    compute: Callable[[Scope, StatsRequest], Awaitable[Stats]],
) -> Response:
    """Answer ``{"status": "Ok", "stats": [...]}``, from the cache when every day is closed."""
    services = services_of(request)
    scope = translate.wms_scope(services.accounts, access, request.query_params)
    today = services.clock().date()
    closed = not req.live and req.last is not None and req.last < today
    cache = install_day_cache(services)
    key = (access.account_id, scope, endpoint, req.cache_params())
    if closed and (cached := cache.get(key)) is not None:
        return _json(cached)
    since = cache.mark()
    body = serialize.ok_body(stats=await compute(scope, req))
    if closed and req.first is not None and req.last is not None:
        cache.put(key, access.account_id, body, req.first, req.last, spans=spans, since=since)
    return _json(body)


def _views_by_day(request: Request, dimension: str, always: tuple[str, ...]
                  ) -> Callable[[Scope, StatsRequest], Awaitable[Stats]]:
    services = services_of(request)

    async def compute(scope: Scope, req: StatsRequest) -> Stats:
        if req.live:
            now = services.clock()
            result = await run_query(services.storage, translate.live_views_query(scope, req, dimension, now))
            return serialize.live_day(result, dimension, always, now.date())
        time = translate.stored_days(req)
        if time is None:
            return []
        query = translate.views_by_day_query(scope, req, time, dimension)
        return serialize.days_of_views(await run_query(services.storage, query), dimension, always)

    return compute


@router.get("/v1/players_stats")
async def players_stats(request: Request, access: Access = Depends(wms_access)) -> Response:
    """Views per day by WMSPanel player (``Unknown`` and ``Flash`` always present)."""
    req = translate.stats_request(request.query_params)
    compute = _views_by_day(request, "wms_player", serialize.PLAYER_KEYS_ALWAYS)
    return await _stats(request, access, "players_stats", req, spans=False, compute=compute)


@router.get("/v1/devices_stats")
async def devices_stats(request: Request, access: Access = Depends(wms_access)) -> Response:
    """Views per day by WMSPanel device (``Unknown`` always present)."""
    req = translate.stats_request(request.query_params)
    compute = _views_by_day(request, "wms_device", serialize.DEVICE_KEYS_ALWAYS)
    return await _stats(request, access, "devices_stats", req, spans=False, compute=compute)


@router.get("/v1/daily_stats")
async def daily_stats(request: Request, access: Access = Depends(wms_access)) -> Response:
    """The day objects of the daily-statistics push (CONTRACT §7), days without data left out."""
    req = translate.stats_request(request.query_params, live_allowed=False)
    assert req.first is not None and req.last is not None
    if (req.last - req.first).days >= MAX_DAILY_STATS_DAYS:
        raise QueryError("to", f"daily_stats covers at most {MAX_DAILY_STATS_DAYS} days per call")
    storage = services_of(request).storage

    async def compute(scope: Scope, req: StatsRequest) -> Stats:
        time = translate.stored_days(req)
        if time is None:
            return []
        first, last = time.start.date(), time.end.date() - timedelta(days=1)
        return await daily_stats_days(storage, scope, first, last, translate.filters(req))

    return await _stats(request, access, "daily_stats", req, spans=True, compute=compute)


ENDPOINTS = ("data_slices", "players_stats", "devices_stats", "daily_stats")


@router.api_route("/v1/{name:path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                  include_in_schema=False)
async def not_an_endpoint(name: str) -> Response:
    """Unknown calls and wrong methods below ``/v1/``, answered in the vendor's shape too."""
    if name in ENDPOINTS:
        raise ApiError(405, f"/v1/{name} takes GET requests")
    raise ApiError(404, f"/v1/{name} is not a call of this API; calls: {', '.join(ENDPOINTS)}")
