"""``POST /v1/events``: the JSON / NDJSON door of CONTRACT §3."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from mediastats.ingest.decode import BodyError
from mediastats.surfaces.access import services_of
from mediastats.surfaces.errors import ApiError, error_shape, native_error
from mediastats.surfaces.respond import json_response

router = APIRouter(tags=["ingest"], dependencies=[Depends(error_shape(native_error))])


def ingest_account(request: Request) -> str:
    """The account of the ingest key (Bearer header, or ``?key=`` for navigator.sendBeacon)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    key = token.strip() if scheme.lower() == "bearer" else request.query_params.get("key", "")
    account_id = services_of(request).accounts.ingest_account(key) if key else None
    if account_id is None:
        raise ApiError(401, "ingest key required: Authorization: Bearer <ingest_key>")
    return account_id


@router.post(
    "/v1/events",
    summary="Send events (JSON array or NDJSON, gzip allowed)",
    responses={200: {"description": '{"accepted": n, "duplicates": n, "rejected": [{"index", "error"}]}'}},
)
async def post_events(request: Request, account_id: str = Depends(ingest_account)) -> Response:
    body = await request.body()
    try:
        result = await services_of(request).ingestor.ingest_body(
            account_id, body, request.headers.get("content-type"), request.headers.get("content-encoding")
        )
    except BodyError as exc:
        raise ApiError(exc.status, exc.message, "body") from None
    return json_response(result.body())
