"""``/v1/cmcd/{ingest_key}``: CMCD (CTA-5004) as a second door into the same events.

v2 event mode posts ``application/cmcd`` bodies (one RFC 8941 dictionary per line); v1 arrives
as a ``CMCD=`` query value or ``CMCD-*`` headers, one report per request (GET or POST), as
players and CDN log shippers send it. Malformed lines are skipped and counted, never failing
the rest; the answer is ``204`` with the counts in ``X-CMCD-Accepted`` / ``X-CMCD-Malformed``.
A revoked key is ``410`` (players stop reporting on it), an unknown one ``401``.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from mediastats.ingest.cmcd import CMCD_CONTENT_TYPE, CmcdError, CmcdRecord, parse_v1, parse_v2_body
from mediastats.ingest.decode import BodyError, decompress
from mediastats.surfaces.access import caller_ip, services_of
from mediastats.surfaces.errors import ApiError, error_shape, native_error
from mediastats.surfaces.native.ingest import capped_body

router = APIRouter(tags=["ingest"], dependencies=[Depends(error_shape(native_error))])


def _account(request: Request, ingest_key: str) -> str:
    accounts = services_of(request).accounts
    account_id = accounts.ingest_account(ingest_key)
    if account_id is not None:
        return account_id
    if accounts.ingest_key_revoked(ingest_key):
        raise ApiError(410, "this ingest key was revoked; stop reporting")
    raise ApiError(401, "unknown ingest key in the CMCD URL")


def _records(request: Request, body: bytes) -> tuple[list[CmcdRecord], int]:
    records: list[CmcdRecord] = []
    malformed = 0
    if body and request.headers.get("content-type", "").split(";")[0].strip() == CMCD_CONTENT_TYPE:
        records, malformed = parse_v2_body(body)
    try:
        single = parse_v1(request.query_params.get("CMCD"), request.headers)
    except CmcdError:
        malformed += 1
    else:
        if single is not None:
            records.append(single)
    return records, malformed


_CMCD_SUMMARY = "CMCD v2 event reports (application/cmcd) or v1 query/header data"


# One handler for both methods, registered twice so each has its own OpenAPI operation id.
@router.get("/v1/cmcd/{ingest_key}", status_code=204, summary=_CMCD_SUMMARY, name="cmcd_get")
@router.post("/v1/cmcd/{ingest_key}", status_code=204, summary=_CMCD_SUMMARY, name="cmcd_post")
async def cmcd(ingest_key: str, request: Request) -> Response:
    account_id = _account(request, ingest_key)
    services = services_of(request)
    try:
        body = decompress(await capped_body(request), request.headers.get("content-encoding"))
    except BodyError as exc:
        raise ApiError(exc.status, exc.message, "body") from None
    records, malformed = await asyncio.to_thread(_records, request, body)
    events = services.ingestor.cmcd_tracker.to_events(
        records,
        user_agent=request.headers.get("user-agent", ""),
        ip=caller_ip(request),
        now_ms=services.now_ms(),
        scope=account_id,
    )
    result = await services.ingestor.ingest_dicts(account_id, events)
    return Response(status_code=204, headers={
        "X-CMCD-Accepted": str(result.accepted + result.duplicates),
        "X-CMCD-Malformed": str(malformed + len(result.rejected)),
    })
