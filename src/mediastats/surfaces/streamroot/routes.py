"""The Streamroot (Lumen) Mesh Data API v3: ``POST /v3/customers/{customer_id}/dna/data/...``.

Each handler parses the JSON body, builds the endpoint's Query, runs it and serializes the
result; every error under this router renders as ``{"message": ...}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from mediastats.meta.accounts import Access
from mediastats.query import Query, Result, Scope, run_query
from mediastats.surfaces.access import services_of
from mediastats.surfaces.errors import ApiError, error_shape
from mediastats.surfaces.respond import json_response
from mediastats.surfaces.streamroot import serialize as out
from mediastats.surfaces.streamroot.auth import streamroot_access, streamroot_scope
from mediastats.surfaces.streamroot.errors import render
from mediastats.surfaces.streamroot.translate import (
    Params,
    audience_query,
    bandwidth_query,
    body_of,
    buffering_query,
    listing_query,
    params_of,
    traffic_query,
)

router = APIRouter(tags=["streamroot"], dependencies=[Depends(error_shape(render))])

BASE = "/v3/customers/{customer_id}/dna/data"
_KNOWN_PATH = re.compile(
    r"^customers/[^/]+/dna/data/(?:(?:audience|traffic|bandwidth|buffering)(?:/timeseries)?|platforms|streams)/?$"
)
_FIELDS = {
    "since": "Ns, Nm, Nh, Nd or Nw: a window ending now (not with from/to)",
    "from": "YYYY-MM-DD (a whole UTC day) or Unix timestamp in ms (included)",
    "to": "YYYY-MM-DD (included) or Unix timestamp in ms (excluded)",
    "contentType": "live, vod or all (default)",
    "content": "a stream (manifest URL) that /streams lists",
    "platform": "a platform that /platforms lists",
    "interval": "timeseries step: Ns, Nm, Nh, Nd or Nw, at most 4w",
}
_BODY_DOC: dict[str, Any] = {"requestBody": {"required": False, "content": {"application/json": {"schema": {
    "type": "object",
    "properties": {name: {"type": "string", "description": doc} for name, doc in _FIELDS.items()},
    "example": {"from": "1584441300000", "to": "1584527700000", "interval": "10m", "contentType": "all"},
}}}}}

Build = Callable[[Params, Scope], Query]
Shape = Callable[[Result, str], dict[str, Any]]


async def answer(request: Request, access: Access, build: Build, shape: Shape) -> Response:
    """parse → translate → run → serialize, for every endpoint."""
    services = services_of(request)
    params = params_of(body_of(await request.body()), services.clock())
    result = await run_query(services.storage, build(params, streamroot_scope(request, access)))
    return json_response([shape(result, access.account_id)])


def _series(build: Callable[[Params, Scope, bool], Query]) -> Build:
    return lambda params, scope: build(params, scope, True)


def _post(path: str, summary: str) -> Callable[[Any], Any]:
    return router.post(BASE + path, summary=summary, openapi_extra=_BODY_DOC)


@_post("/audience", "Concurrent viewers over 2-minute buckets: max, average, 95th percentile")
async def audience(request: Request, access: Access = Depends(streamroot_access)) -> Response:
    return await answer(request, access, audience_query, out.audience_body)


@_post("/audience/timeseries", "Peak concurrent viewers per interval")
async def audience_timeseries(request: Request, access: Access = Depends(streamroot_access)) -> Response:
    return await answer(request, access, _series(audience_query), out.audience_series_body)


@_post("/traffic", "Bytes downloaded from the CDN and from peers")
async def traffic(request: Request, access: Access = Depends(streamroot_access)) -> Response:
    return await answer(request, access, traffic_query, out.traffic_body)


@_post("/traffic/timeseries", "Bytes from the CDN and from peers per interval")
async def traffic_timeseries(request: Request, access: Access = Depends(streamroot_access)) -> Response:
    return await answer(request, access, _series(traffic_query), out.traffic_series_body)


@_post("/bandwidth", "Bandwidth over 5-minute buckets (bits/s): p2p average, peaks, p2p 95th percentile")
async def bandwidth(request: Request, access: Access = Depends(streamroot_access)) -> Response:
    return await answer(request, access, bandwidth_query, out.bandwidth_body)


@_post("/bandwidth/timeseries", "Mean bandwidth from the CDN and from peers per interval (bits/s)")
async def bandwidth_timeseries(request: Request, access: Access = Depends(streamroot_access)) -> Response:
    return await answer(request, access, _series(bandwidth_query), out.bandwidth_series_body)


@_post("/buffering", "Time played and time buffered (ms)")
async def buffering(request: Request, access: Access = Depends(streamroot_access)) -> Response:
    return await answer(request, access, buffering_query, out.buffering_body)


@_post("/buffering/timeseries", "Time played and time buffered per interval (ms)")
async def buffering_timeseries(request: Request, access: Access = Depends(streamroot_access)) -> Response:
    return await answer(request, access, _series(buffering_query), out.buffering_series_body)


@_post("/platforms", "Platforms with views in the period")
async def platforms(request: Request, access: Access = Depends(streamroot_access)) -> Response:
    return await answer(request, access, lambda p, s: listing_query(p, s, "sr_platform"), out.platforms_body)


@_post("/streams", "Streams (manifest URLs) with views in the period")
async def streams(request: Request, access: Access = Depends(streamroot_access)) -> Response:
    return await answer(request, access, lambda p, s: listing_query(p, s, "stream_uri"), out.streams_body)


@router.api_route(
    "/v3/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
)
async def not_served(rest: str) -> Response:
    """Unknown paths (404) and other methods on known ones (405), in Streamroot's shape."""
    if _KNOWN_PATH.match(rest):  # ``rest`` is the path after /v3/
        raise ApiError(405, "method not allowed: the Mesh Data API endpoints are accessed via POST")
    raise ApiError(404, f"not found: /v3/{rest}")
