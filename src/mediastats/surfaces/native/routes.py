"""The native query API: ``POST /v1/query`` and the channel / server / stream listings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import Response

from mediastats.meta.accounts import Access
from mediastats.query import Query, QueryError, Scope, TimeRange, run_query
from mediastats.surfaces.access import services_of
from mediastats.surfaces.errors import ApiError, error_shape, native_error
from mediastats.surfaces.native.auth import query_access
from mediastats.surfaces.native.serialize import listing_body, result_body
from mediastats.surfaces.native.translate import body_to_query, decode_body
from mediastats.surfaces.respond import json_response

router = APIRouter(prefix="/v1", tags=["query"], dependencies=[Depends(error_shape(native_error))])

_EXAMPLE = {
    "metrics": ["views", "unique_viewers", "viewing_time_ms", "active_views.max"],
    "dimensions": ["channel_id"],
    "date_range": ["2026-11-01", "2026-11-07"],
    "interval": "day",
    "timezone": "UTC",
}


def scope_of(request: Request, access: Access) -> Scope:
    scope = services_of(request).accounts.scope(access)
    if scope is None:
        raise ApiError(403, "this key sees no data slice")
    return scope


@router.post("/query", summary="Ask for any metrics × dimensions × filters × time buckets")
async def query(
    request: Request,
    access: Access = Depends(query_access),
    body: dict[str, Any] = Body(default=..., examples=[_EXAMPLE]),
) -> Response:
    del body  # decoded strictly below (msgspec), FastAPI only documents it
    parsed = decode_body(await request.body())
    services = services_of(request)
    q = body_to_query(parsed, scope_of(request, access), services.clock())
    result = await run_query(services.storage, q)
    return json_response(result_body(result, parsed.page))


async def _listing(request: Request, access: Access, dimension: str) -> Response:
    services = services_of(request)
    now = services.clock()
    since = request.query_params.get("since_days", "3650")
    if not since.isdigit() or not 1 <= int(since) <= 36_500:  # a huge one overflowed timedelta (500)
        raise QueryError("since_days", "since_days must be a number of days between 1 and 36500")
    q = Query(
        scope=scope_of(request, access),
        metrics=(),
        dimensions=(dimension,),
        time=TimeRange(now - timedelta(days=int(since)), now + timedelta(hours=1)),
    )
    return json_response(listing_body(await run_query(services.storage, q), dimension))


@router.get("/channels", summary="Channels with data")
async def channels(request: Request, access: Access = Depends(query_access)) -> Response:
    return await _listing(request, access, "channel_id")


@router.get("/servers", summary="Media servers with data")
async def servers(request: Request, access: Access = Depends(query_access)) -> Response:
    return await _listing(request, access, "server_id")


@router.get("/streams", summary="Streams with data")
async def streams(request: Request, access: Access = Depends(query_access)) -> Response:
    return await _listing(request, access, "stream_id")
