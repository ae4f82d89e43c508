"""The operator (admin) API of CONTRACT §2: ``Authorization: Bearer <admin token>``."""

from __future__ import annotations

import hmac
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from mediastats.meta.accounts import secret_hash
from mediastats.surfaces.access import services_of
from mediastats.surfaces.errors import ApiError, error_shape, native_error


def require_admin(request: Request) -> None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    expected = services_of(request).admin_token_hash
    if scheme.lower() != "bearer" or not token or not hmac.compare_digest(secret_hash(token.strip()), expected):
        raise ApiError(401, "admin token required: Authorization: Bearer <MEDIASTATS_ADMIN_TOKEN>")


router = APIRouter(
    prefix="/admin/v1",
    tags=["admin"],
    dependencies=[Depends(error_shape(native_error)), Depends(require_admin)],
)


class NewAccount(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class NewSlice(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    servers: list[str] | None = None
    channels: list[str] | None = None


class NewKey(BaseModel):
    name: str = Field(default="user key", max_length=200)
    data_slices: list[str] | None = None


class AccountPatch(BaseModel):
    ip_whitelist: list[str] | None = None
    # Upper bounds keep values in a 64-bit column (a larger one was a 500 from the store).
    daily_api_limit: int | None = Field(default=None, ge=0, le=2**62)
    server_offline_after_s: int | None = Field(default=None, ge=1, le=2**40)
    api_enabled: bool | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)


def _account_or_404(request: Request, account_id: str) -> None:
    if services_of(request).accounts.account(account_id) is None:
        raise ApiError(404, f"no account {account_id!r}", "id")


@router.post("/accounts", status_code=201)
def create_account(body: NewAccount, request: Request) -> dict[str, str]:
    return services_of(request).accounts.create_account(body.name)


@router.get("/accounts")
def list_accounts(request: Request) -> list[dict[str, Any]]:
    return [a.settings() for a in services_of(request).accounts.all_accounts()]


@router.get("/accounts/{account_id}")
def get_account(account_id: str, request: Request) -> dict[str, Any]:
    account = services_of(request).accounts.account(account_id)
    if account is None:
        raise ApiError(404, f"no account {account_id!r}", "id")
    return account.settings()


@router.post("/accounts/{account_id}/data_slices", status_code=201)
def create_slice(account_id: str, body: NewSlice, request: Request) -> dict[str, str]:
    _account_or_404(request, account_id)
    created = services_of(request).accounts.create_slice(
        account_id, body.name, body.servers or [], body.channels or []
    )
    return {"id": created.id, "name": created.name}


@router.get("/accounts/{account_id}/data_slices")
def list_slices(account_id: str, request: Request) -> list[dict[str, Any]]:
    _account_or_404(request, account_id)
    return [
        {"id": s.id, "name": s.name, "servers": list(s.servers), "channels": list(s.channels)}
        for s in services_of(request).accounts.slices(account_id)
    ]


@router.post("/accounts/{account_id}/keys", status_code=201)
def create_key(account_id: str, body: NewKey, request: Request) -> dict[str, str]:
    _account_or_404(request, account_id)
    store = services_of(request).accounts
    known = {s.id for s in store.slices(account_id)}
    unknown = [s for s in body.data_slices or [] if s not in known]
    if unknown:
        raise ApiError(400, f"data_slices: {unknown[0]!r} is not a slice of this account", "data_slices")
    return store.create_key(account_id, body.name, body.data_slices)


@router.post("/accounts/{account_id}/keys/rotate")
def rotate_key(account_id: str, request: Request) -> dict[str, str]:
    """A new account-wide key; the old ones stop working at once."""
    _account_or_404(request, account_id)
    return services_of(request).accounts.rotate_account_key(account_id)


@router.post("/accounts/{account_id}/ingest_key/rotate")
def rotate_ingest_key(account_id: str, request: Request) -> dict[str, str]:
    _account_or_404(request, account_id)
    return {"ingest_key": services_of(request).accounts.revoke_ingest_keys(account_id)}


@router.patch("/accounts/{account_id}")
def patch_account(account_id: str, body: AccountPatch, request: Request) -> dict[str, Any]:
    _account_or_404(request, account_id)
    for entry in body.ip_whitelist or []:
        import ipaddress

        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ApiError(400, f"ip_whitelist: {entry!r} is not an IP address or CIDR block", "ip_whitelist") from None
    account = services_of(request).accounts.update_settings(account_id, **body.model_dump())
    assert account is not None
    return account.settings()


@router.post("/push/daily-stats/run", status_code=202)
async def run_daily_stats(request: Request, date_: str | None = None) -> JSONResponse:
    raw = request.query_params.get("date", date_)
    try:
        day = date.fromisoformat(raw) if raw else services_of(request).clock().date()
    except ValueError:
        raise ApiError(400, f"date: {raw!r} is not YYYY-MM-DD", "date") from None
    from mediastats.push.jobs import enqueue_daily_stats

    queued = await enqueue_daily_stats(services_of(request), day)
    return JSONResponse({"date": day.isoformat(), "queued": queued}, status_code=202)
