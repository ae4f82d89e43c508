"""The Amagi Analytics API (seed 003): ``GET /api/v2?type=...`` and the v1 scheduled report
download, below ``/amagi`` (and at ``/`` with ``--surface amagi``).

Every handler: parse → translate → ``run_query`` → serialize. Errors render in the Amagi
shape (``errors.render``), whatever raised them.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from mediastats.meta.accounts import Access
from mediastats.query import run_query
from mediastats.reports.downloads import report_download
from mediastats.surfaces.access import services_of
from mediastats.surfaces.amagi.auth import amagi_access, visible_scope
from mediastats.surfaces.amagi.errors import render
from mediastats.surfaces.amagi.params import Params, values
from mediastats.surfaces.amagi.serialize import BODIES, channel_list_body, concurrent_points
from mediastats.surfaces.amagi.translate import (
    CHANNELS,
    CONCURRENT,
    channel_list_query,
    concurrent_query,
    data_request,
    report_type,
    require_customer_or_channel,
)
from mediastats.surfaces.errors import ApiError, error_shape
from mediastats.surfaces.respond import json_response

router = APIRouter(prefix="/api", tags=["amagi"], dependencies=[Depends(error_shape(render))])


def params_of(request: Request) -> Params:
    query = request.query_params
    return {name: query.getlist(name) for name in query}


@router.get(
    "/v2",
    summary="Amagi Analytics v2: viewershipAnalytics, contentAnalytics, concurrentUsers, adAnalytics, "
    "adContentAnalytics, uniqueViewersAnalytics, channelList",
)
async def analytics_v2(request: Request, access: Access = Depends(amagi_access)) -> Response:
    params = params_of(request)
    kind = report_type(params)
    services = services_of(request)
    if kind == CHANNELS:
        scope = visible_scope(request, access, ())
        listing = await run_query(services.storage, channel_list_query(scope, services.clock()))
        return json_response(channel_list_body(listing))
    require_customer_or_channel(params)
    scope = visible_scope(request, access, values(params, "channelId"))
    if kind == CONCURRENT:
        points = await run_query(services.storage, concurrent_query(params, scope, services.clock()))
        return json_response(concurrent_points(points))
    translated = data_request(kind, params, scope)
    rows = await run_query(services.storage, translated.rows)
    totals = await run_query(services.storage, translated.totals)
    return json_response(BODIES[kind](translated, rows, totals))


@router.get(
    "/v1/download-reports/{schedule_id}/{from_date}",
    summary="The CSV of a scheduled report for the period starting on from_date (YYYY-MM-DD)",
    response_class=Response,
)
async def download_report(
    request: Request, schedule_id: str, from_date: str, access: Access = Depends(amagi_access)
) -> Response:
    report = await report_download(services_of(request), access, schedule_id, from_date)
    return Response(
        report.csv,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{report.filename}"'},
    )


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
async def not_an_endpoint(request: Request, rest: str) -> Response:
    """Unknown paths and methods below ``/api`` answer in Amagi's shape too (they were native 404s)."""
    raise ApiError(404, f"Cannot {request.method} {request.url.path}")
