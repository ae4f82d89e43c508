"""The System73 Stats API (seed 002) below ``/system73`` (and at ``/`` with ``--surface system73``).

Each handler parses, builds Queries (translate.py), runs them and serializes (serialize.py).
Summaries and statistics are served at three levels — account, channel, stream — and every
statistic also as ``/last_point``. ``/ping`` and ``/ping/db`` need no key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response

from mediastats.meta.accounts import Access
from mediastats.query import run_query
from mediastats.surfaces.access import services_of
from mediastats.surfaces.errors import ApiError, error_shape
from mediastats.surfaces.respond import json_response
from mediastats.surfaces.system73.auth import scope_for, system73_access
from mediastats.surfaces.system73.catalog import LEVELS, STATS, Stat
from mediastats.surfaces.system73.errors import render
from mediastats.surfaces.system73.serialize import aggregate_body, stat_body, summary_body
from mediastats.surfaces.system73.translate import Level, stat_query, summary_queries

router = APIRouter(tags=["system73"], dependencies=[Depends(error_shape(render))])

Handler = Callable[..., Awaitable[Response]]


def account_level() -> Level:
    return Level()


def channel_level(channel_id: str) -> Level:
    return Level(channel_id=channel_id)


def stream_level(channel_id: str, stream_id: str) -> Level:
    return Level(channel_id=channel_id, stream_id=stream_id)


LEVEL_OF: dict[str, Callable[..., Level]] = dict(
    zip(LEVELS, (account_level, channel_level, stream_level), strict=True)
)


@router.get("/ping", response_class=PlainTextResponse, summary="Is the service up?")
async def ping() -> Response:
    return PlainTextResponse("pong")


@router.get("/ping/db", response_class=PlainTextResponse, summary="Is the database up?")
async def ping_db(request: Request) -> Response:
    try:
        await asyncio.to_thread(services_of(request).storage.ping)
    except Exception as exc:  # any failure of the store is "down", with its reason
        raise ApiError(503, f"the database is not answering: {exc}") from None
    return PlainTextResponse("pong")


def summary_handler(level_of: Callable[..., Level], per_entity: bool) -> Handler:
    async def summary(
        request: Request, level: Level = Depends(level_of), access: Access = Depends(system73_access)
    ) -> Response:
        services = services_of(request)
        scope = scope_for(request, access, level.channel_id)
        totals_q, deliveries_q, page = summary_queries(
            scope, level, request.query_params, services.clock(), per_entity=per_entity
        )
        totals, deliveries = await asyncio.gather(
            run_query(services.storage, totals_q), run_query(services.storage, deliveries_q)
        )
        if not per_entity:
            return json_response(aggregate_body(totals, deliveries))
        return json_response(summary_body(totals, deliveries, level.entity, page))

    return summary


def stat_handler(level_of: Callable[..., Level], stat: Stat, last_point: bool) -> Handler:
    async def statistic(
        request: Request, level: Level = Depends(level_of), access: Access = Depends(system73_access)
    ) -> Response:
        services = services_of(request)
        scope = scope_for(request, access, level.channel_id)
        query, source = stat_query(
            scope, level, request.query_params, services.clock(), stat, last_point=last_point
        )
        return json_response(stat_body(await run_query(services.storage, query), stat, source))

    return statistic


_SUMMARY_DOC = {
    "": "One row per channel",
    "/channels/{channel_id}": "One row per stream of the channel",
    "/channels/{channel_id}/streams/{stream_id}": "One row per bitrate / representation of the stream",
}

for _level, _level_of in LEVEL_OF.items():
    router.add_api_route(
        f"{_level}/summary", summary_handler(_level_of, per_entity=True), methods=["GET"],
        summary=f"{_SUMMARY_DOC[_level]}: throughput (kbps), devices, viewing time (s); paginated",
    )
    router.add_api_route(
        f"{_level}/summary/agg", summary_handler(_level_of, per_entity=False), methods=["GET"],
        summary="Aggregated throughput (kbps), devices and viewing time (s)",
    )
    for _stat in STATS:
        for _path in _stat.paths:
            for _last in (False, True):
                router.add_api_route(
                    f"{_level}{_path}{'/last_point' if _last else ''}",
                    stat_handler(_level_of, _stat, _last),
                    methods=["GET"],
                    summary=f"{_stat.key} {'at the last point' if _last else 'per point'} of the window",
                )


async def not_found(request: Request) -> Response:
    raise ApiError(404, f"no such endpoint: {request.method} {request.url.path}")


# Mistyped System73 paths answer in System73's shape. Only the vendor's own first segments are
# caught, so mounting at "/" (``--surface system73``) shadows no other door.
for _head in ("channels", "stats", "summary", "ping"):
    router.add_api_route(
        f"/{_head}/{{rest:path}}", not_found, methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    # the bare head too: a wrong method on /summary or /ping was a 405 in the native shape
    router.add_api_route(
        f"/{_head}", not_found, methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
    )
