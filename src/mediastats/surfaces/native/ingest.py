"""``POST /v1/events``: the JSON / NDJSON door of CONTRACT §3."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from mediastats.ingest.decode import MAX_BODY_BYTES, BodyError
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


async def capped_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, refused (413) as soon as it passes ``limit`` bytes: a client cannot
    make the server hold more than that in memory, whatever it sends or claims to send."""
    too_large = ApiError(413, f"body is larger than {limit} bytes", "body")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/v1/events",
    summary="Send events (JSON array or NDJSON, gzip allowed)",
    responses={200: {"description": '{"accepted": n, "duplicates": n, "rejected": [{"index", "error"}]}'}},
)
async def post_events(request: Request, account_id: str = Depends(ingest_account)) -> Response:
    body = await capped_body(request)
    try:
        result = await services_of(request).ingestor.ingest_body(
            account_id, body, request.headers.get("content-type"), request.headers.get("content-encoding")
        )
    except BodyError as exc:
        raise ApiError(exc.status, exc.message, "body") from None
    return json_response(result.body())
