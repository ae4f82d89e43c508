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


def _listing(dimension: str) -> Build:
    return lambda params, scope: listing_query(params, scope, dimension)


# (path below BASE, summary, Query builder, serializer): every endpoint is parse → translate →
# run → serialize, so the table is the surface.
ENDPOINTS: tuple[tuple[str, str, Build, Shape], ...] = (
    ("/audience", "Concurrent viewers over 2-minute buckets: max, average, 95th percentile",
     audience_query, out.audience_body),
    ("/audience/timeseries", "Peak concurrent viewers per interval", _series(audience_query), out.audience_series_body),
    ("/traffic", "Bytes downloaded from the CDN and from peers", traffic_query, out.traffic_body),
    ("/traffic/timeseries", "Bytes from the CDN and from peers per interval",
     _series(traffic_query), out.traffic_series_body),
    ("/bandwidth", "Bandwidth over 5-minute buckets (bits/s): p2p average, peaks, p2p 95th percentile",
     bandwidth_query, out.bandwidth_body),
    ("/bandwidth/timeseries", "Mean bandwidth from the CDN and from peers per interval (bits/s)",
     _series(bandwidth_query), out.bandwidth_series_body),
    ("/buffering", "Time played and time buffered (ms)", buffering_query, out.buffering_body),
    ("/buffering/timeseries", "Time played and time buffered per interval (ms)",
     _series(buffering_query), out.buffering_series_body),
    ("/platforms", "Platforms with views in the period", _listing("sr_platform"), out.platforms_body),
    ("/streams", "Streams (manifest URLs) with views in the period", _listing("stream_uri"), out.streams_body),
)


def _register(path: str, summary: str, build: Build, shape: Shape) -> None:
    async def endpoint(request: Request, access: Access = Depends(streamroot_access)) -> Response:
        return await answer(request, access, build, shape)

    name = path.strip("/").replace("/", "_")  # audience, audience_timeseries, … (the operation ids)
    router.post(BASE + path, summary=summary, name=name, openapi_extra=_BODY_DOC)(endpoint)


for _endpoint in ENDPOINTS:
    _register(*_endpoint)


@router.api_route(
    "/v3/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
)
async def not_served(rest: str) -> Response:
    """Unknown paths (404) and other methods on known ones (405), in Streamroot's shape."""
    if _KNOWN_PATH.match(rest):  # ``rest`` is the path after /v3/
        raise ApiError(405, "method not allowed: the Mesh Data API endpoints are accessed via POST")
    raise ApiError(404, f"not found: /v3/{rest}")
