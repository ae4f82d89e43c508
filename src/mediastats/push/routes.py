"""The push (webhooks) API of CONTRACT §7, with the native error shape:

    POST   /v1/push/subscriptions         {"url", "events": [...], "token"?} → 201 {"id", "token", "secret"}
    GET    /v1/push/subscriptions         {"subscriptions": [...]}
    GET    /v1/push/subscriptions/{id}    one subscription
    DELETE /v1/push/subscriptions/{id}    204; what it had queued is cancelled
    GET    /v1/push/deliveries            {"deliveries": [...]}: messages with their attempts
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi import Query as Param
from fastapi.responses import Response
from pydantic import BaseModel, Field

from mediastats.meta.accounts import Access
from mediastats.push.auth import push_access
from mediastats.push.bodies import EVENTS
from mediastats.push.outbox import deliveries
from mediastats.push.subscriptions import Subscription, SubscriptionStore
from mediastats.push.targets import TargetRefused, check_target_async
from mediastats.surfaces.access import services_of
from mediastats.surfaces.errors import ApiError, error_shape, native_error
from mediastats.surfaces.respond import json_response

router = APIRouter(prefix="/v1/push", tags=["push"], dependencies=[Depends(error_shape(native_error))])

Status = Literal["pending", "sending", "delivered", "failed", "cancelled"]


class NewSubscription(BaseModel):
    url: str = Field(min_length=1, max_length=2000, description="The receiver; http(s), public unless allowed.")
    events: list[str] = Field(min_length=1, description=f"Any of {', '.join(EVENTS)}.")
    token: str | None = Field(
        default=None, min_length=1, max_length=200,
        description="WMSPanel token for digest / Signature (generated when absent).",
    )


def _store(request: Request) -> SubscriptionStore:
    return SubscriptionStore(services_of(request).engine)


def _checked_events(events: list[str]) -> list[str]:
    unknown = [e for e in events if e not in EVENTS]
    if unknown:
        raise ApiError(400, f"events: {unknown[0]!r} is not one of {', '.join(EVENTS)}", "events")
    return list(dict.fromkeys(events))


async def _visible(request: Request, access: Access, subscription_id: str) -> Subscription:
    sub = await asyncio.to_thread(_store(request).one_visible, access, subscription_id)
    if sub is None:
        raise ApiError(404, f"no subscription {subscription_id!r}", "id")
    return sub


@router.post("/subscriptions", status_code=201, summary="Subscribe a receiver URL to push events")
async def create_subscription(
    body: NewSubscription, request: Request, access: Access = Depends(push_access)
) -> Response:
    events = _checked_events(body.events)
    services = services_of(request)
    try:
        await check_target_async(body.url, services.settings.push_allow_private)
    except TargetRefused as exc:
        raise ApiError(400, f"url: {exc}", "url") from None
    sub = await asyncio.to_thread(_store(request).create, access, body.url, events, body.token, services.now_ms())
    answer: dict[str, Any] = {"id": sub.id, "token": sub.token, "secret": sub.secret}
    answer.update({k: v for k, v in sub.public().items() if k not in answer})
    return json_response(answer, status_code=201)


@router.get("/subscriptions", summary="List push subscriptions")
async def list_subscriptions(request: Request, access: Access = Depends(push_access)) -> Response:
    subs = await asyncio.to_thread(_store(request).visible_to, access)
    return json_response({"subscriptions": [s.public() for s in subs]})


@router.get("/subscriptions/{subscription_id}", summary="One push subscription")
async def get_subscription(subscription_id: str, request: Request, access: Access = Depends(push_access)) -> Response:
    return json_response((await _visible(request, access, subscription_id)).public())


@router.delete("/subscriptions/{subscription_id}", status_code=204, summary="Delete a push subscription")
async def delete_subscription(
    subscription_id: str, request: Request, access: Access = Depends(push_access)
) -> Response:
    sub = await _visible(request, access, subscription_id)
    await asyncio.to_thread(_store(request).delete, sub.id)
    return Response(status_code=204)


@router.get("/deliveries", summary="Push messages and their attempts, newest first")
async def list_deliveries(
    request: Request,
    access: Access = Depends(push_access),
    subscription_id: str | None = None,
    status: Status | None = None,
    limit: int = Param(default=100, ge=1, le=1000),
) -> Response:
    ids: list[str] | None = None
    if access.is_user_key or subscription_id is not None:
        visible = [s.id for s in await asyncio.to_thread(_store(request).visible_to, access)]
        if subscription_id is not None and subscription_id not in visible:
            raise ApiError(404, f"no subscription {subscription_id!r}", "subscription_id")
        ids = [subscription_id] if subscription_id is not None else visible
    found = await asyncio.to_thread(
        deliveries, services_of(request).engine, access.account_id, ids, status=status, limit=limit
    )
    return json_response({"deliveries": found})
