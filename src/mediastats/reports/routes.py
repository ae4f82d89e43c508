"""Scheduled reports, native API (CONTRACT §6): ``Authorization: Bearer <api_key>``.

    POST   /v1/report-schedules              {"type", "interval", "params"} → 201 {"scheduleId", …}
    GET    /v1/report-schedules              → {"schedules": [...]}
    GET    /v1/report-schedules/{id}         → the schedule and its built reports
    DELETE /v1/report-schedules/{id}         → 204
    GET    /v1/report-schedules/{id}/reports/{from_date}  → the CSV (as Amagi's v1 download)

A user-specific key creates schedules over its own slices and sees only those.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import Response

from mediastats.meta.accounts import Access
from mediastats.query import QueryError, zone
from mediastats.reports.build import schedule_timezone, translate_schedule
from mediastats.reports.downloads import owned_schedule, report_download, store_of
from mediastats.reports.periods import INTERVALS, period_holding
from mediastats.reports.store import ReportStore, Schedule, iso_ms
from mediastats.surfaces.access import services_of
from mediastats.surfaces.amagi.params import params_from
from mediastats.surfaces.amagi.translate import REPORT_TYPES
from mediastats.surfaces.errors import ApiError, error_shape, native_error
from mediastats.surfaces.native.auth import bearer_access
from mediastats.surfaces.respond import json_response

router = APIRouter(
    prefix="/v1/report-schedules", tags=["reports"], dependencies=[Depends(error_shape(native_error))]
)

_EXAMPLE = {"type": "viewershipAnalytics", "interval": "DAILY", "params": {"channelId": "ch1", "timezone": "UTC"}}


def schedule_body(schedule: Schedule, store: ReportStore | None = None) -> dict[str, Any]:
    """The schedule; with ``store``, also the reports built so far."""
    body = schedule.public()
    if store is not None:
        body["reports"] = [
            {"fromDate": r.from_date, "toDate": r.to_date, "rows": r.rows, "builtAt": iso_ms(r.built_ms),
             "download": f"/amagi/api/v1/download-reports/{schedule.id}/{r.from_date}"}
            for r in store.built_list(schedule.id)
        ]
    return body


def checked_schedule(request: Request, access: Access, body: Any) -> tuple[str, str, dict[str, list[str]]]:
    """(type, interval, params) of a creation body; 400 naming the field that is wrong."""
    if not isinstance(body, dict):
        raise QueryError(None, "the body must be a JSON object {type, interval, params}")
    kind, interval, raw = body.get("type"), body.get("interval"), body.get("params", {})
    if kind not in REPORT_TYPES:
        raise QueryError("type", f"type must be one of {', '.join(REPORT_TYPES)}")
    if interval not in INTERVALS:
        raise QueryError("interval", f"interval must be one of {', '.join(INTERVALS)}")
    if not isinstance(raw, dict) or not all(
        isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v)) for v in raw.values()
    ):
        raise QueryError("params", "params must be an object of strings (or lists of strings)")
    params = params_from(raw)
    services = services_of(request)
    scope = services.accounts.scope(access)
    if scope is None:
        raise ApiError(403, "this key sees no data slice")
    try:  # the params must make a valid request: translate the current period's
        today = services.clock().astimezone(zone(schedule_timezone(params))).date()
        translate_schedule(kind, interval, params, period_holding(interval, today), scope)
    except QueryError as exc:
        param = exc.param or ""
        raise QueryError(param if param.startswith("params") else f"params.{param}".rstrip("."), exc.message) from None
    return kind, interval, params


@router.post("", status_code=201, summary="Schedule a daily, weekly or monthly CSV report")
async def create_schedule(
    request: Request, access: Access = Depends(bearer_access), body: dict[str, Any] = Body(examples=[_EXAMPLE])
) -> Response:
    del body  # checked below, field by field, with the native error shape
    try:
        parsed = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise QueryError(None, "the body is not JSON") from None
    kind, interval, params = checked_schedule(request, access, parsed)
    services = services_of(request)
    schedule = store_of(services).create(
        access.account_id, kind, interval, params, access.slice_ids, services.now_ms()
    )
    return json_response(schedule_body(schedule), status_code=201)


@router.get("", summary="The schedules this key sees")
async def list_schedules(request: Request, access: Access = Depends(bearer_access)) -> Response:
    store = store_of(services_of(request))
    visible = [
        s for s in store.schedules(access.account_id)
        if access.slice_ids is None or (s.slice_ids is not None and set(s.slice_ids) <= set(access.slice_ids))
    ]
    return json_response({"schedules": [schedule_body(s) for s in visible]})


@router.get("/{schedule_id}", summary="One schedule and the reports built for it")
async def get_schedule(request: Request, schedule_id: str, access: Access = Depends(bearer_access)) -> Response:
    services = services_of(request)
    schedule = owned_schedule(services, access, schedule_id)
    return json_response(schedule_body(schedule, store_of(services)))


@router.delete("/{schedule_id}", status_code=204, summary="Stop a schedule (its reports are no longer served)")
async def delete_schedule(request: Request, schedule_id: str, access: Access = Depends(bearer_access)) -> Response:
    services = services_of(request)
    schedule = owned_schedule(services, access, schedule_id)
    store_of(services).delete(schedule.id)
    return Response(status_code=204)


@router.get("/{schedule_id}/reports/{from_date}", summary="The CSV of the period starting on from_date",
            response_class=Response)
async def download(
    request: Request, schedule_id: str, from_date: str, access: Access = Depends(bearer_access)
) -> Response:
    report = await report_download(services_of(request), access, schedule_id, from_date)
    return Response(report.csv, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{report.filename}"'})
