"""Builds the FastAPI app from the pieces: services, routers of every door, background jobs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import datetime
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from mediastats import __version__
from mediastats.config import Settings
from mediastats.push.jobs import install_journal as install_push_journal
from mediastats.push.journal import PushJournal
from mediastats.services import Services, build_services, utcnow
from mediastats.surfaces.access import limit_middleware
from mediastats.surfaces.errors import HANDLERS
from mediastats.surfaces.wmspanel.cache import install_day_cache

log = logging.getLogger(__name__)

Job = Callable[[Services], Coroutine[Any, Any, None]]


def _routers() -> list[tuple[str, APIRouter, str | None]]:
    """(prefix, router, vendor surface name or None) for every door."""
    from mediastats.dashboard.routes import router as dashboard
    from mediastats.push.routes import router as push
    from mediastats.reports.routes import router as reports
    from mediastats.surfaces.admin.routes import router as admin
    from mediastats.surfaces.amagi.routes import router as amagi
    from mediastats.surfaces.native.cmcd import router as cmcd
    from mediastats.surfaces.native.ingest import router as ingest
    from mediastats.surfaces.native.routes import router as native
    from mediastats.surfaces.streamroot.routes import router as streamroot
    from mediastats.surfaces.system73.routes import router as system73
    from mediastats.surfaces.wmspanel.routes import router as wmspanel

    return [
        ("", admin, None),
        ("", ingest, None),
        ("", cmcd, None),
        ("", native, None),
        ("", push, None),
        ("", reports, None),
        ("/wmspanel", wmspanel, "wmspanel"),
        ("/system73", system73, "system73"),
        ("/amagi", amagi, "amagi"),
        ("/streamroot", streamroot, "streamroot"),
        ("", dashboard, None),
    ]


def _jobs() -> list[tuple[str, Job]]:
    from mediastats.push.jobs import run as push_worker
    from mediastats.reports.jobs import run as report_scheduler

    return [("push-worker", push_worker), ("report-scheduler", report_scheduler)]


def create_app(
    settings: Settings | None = None,
    *,
    services: Services | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> FastAPI:
    """The server. ``services`` may be given (tests); else they are built from ``settings``
    when the app starts and closed when it stops."""
    settings = settings or (services.settings if services else Settings.from_env())

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        running = services or build_services(settings, clock)
        app.state.services = running
        running.ingestor.writer.start()
        install_day_cache(running)
        tasks: list[asyncio.Task[None]] = []
        journals: list[PushJournal] = []
        if settings.background:
            journals.append(install_push_journal(running))
            tasks = [asyncio.create_task(job(running), name=name) for name, job in _jobs()]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            await running.ingestor.writer.stop()
            for journal in journals:
                running.ingestor.writer.journals.remove(journal)
            if owned:
                running.close()

    app = FastAPI(
        title="mediastats",
        version=__version__,
        description=(
            "Self-hostable streaming analytics. Native API under /v1, operator API under /admin/v1, "
            "and drop-in copies of the WMSPanel, System73, Amagi and Streamroot APIs."
        ),
        lifespan=lifespan,
    )
    if services is not None:
        app.state.services = services
    for exc_type, handler in HANDLERS.items():
        app.add_exception_handler(exc_type, handler)  # type: ignore[arg-type]
    app.middleware("http")(limit_middleware)
    # Players post from any origin; no cookies cross origins (the dashboard is same-origin).
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"],
        expose_headers=["X-RateLimit-Limit", "X-RateLimit-Remaining"],
    )
    for prefix, router, surface in _routers():
        app.include_router(router, prefix=prefix)
        if surface is not None and surface == settings.surface:
            app.include_router(router, prefix="", include_in_schema=False)
    return app
