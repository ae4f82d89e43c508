"""``mediastats simulate``: post realistic viewer traffic to a running server, in real time.

``--viewers`` views run at once (each ended view is replaced by a new one), a heartbeat every
10 s, ``server_sync`` every minute per server; events are posted once a second in batches of at
most 1,000 over a few keep-alive connections, with a Rich progress bar. A batch that fails is
sent again on the next tick (events carry ``event_id``, so a retry is never counted twice).
When the time is up every running view gets its ``view_end``.

The generator is ``mediastats.simulate_sessions`` (seeded views) and ``simulate_traffic`` (history,
live audiences); its catalogue of channels, servers, devices and places is ``simulate_data``.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from mediastats.simulate_sessions import Simulator
from mediastats.simulate_traffic import LiveAudience

__all__ = ["LiveAudience", "SimulationReport", "Simulator", "parse_duration", "run_simulation"]

BATCH_EVENTS = 1000
MAX_ATTEMPTS = 5
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?", re.I)
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_duration(text: str) -> float:
    """Seconds in ``90s``, ``10m``, ``1h30m``, ``2d`` or a bare number of seconds; ValueError else."""
    raw = text.strip().lower()
    at, total = 0, 0.0
    for match in _DURATION.finditer(raw):
        if match.start() != at:
            break
        total += float(match.group(1)) * _UNIT_S[match.group(2)]
        at = match.end()
    if not raw or at != len(raw) or total <= 0:
        raise ValueError(f"{text!r} is not a duration such as 90s, 10m, 1h30m or 2d")
    return total


@dataclass
class SimulationReport:
    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    failed_requests: int = 0
    lost: int = 0  # events given up after MAX_ATTEMPTS
    views_started: int = 0
    errors: list[str] = field(default_factory=list)


class IngestKeyRefused(Exception):
    """The server answered 401: the ingest key is wrong."""


async def _post(client: httpx.AsyncClient, batch: list[dict[str, Any]], report: SimulationReport) -> bool:
    try:
        response = await client.post("/v1/events", json=batch)
    except httpx.HTTPError as exc:
        report.failed_requests += 1
        report.errors = [*report.errors[-4:], f"{type(exc).__name__}: {exc}"]
        return False
    if response.status_code == 401:
        raise IngestKeyRefused(response.text)
    if response.status_code != 200:
        report.failed_requests += 1
        report.errors = [*report.errors[-4:], f"HTTP {response.status_code}: {response.text[:200]}"]
        return False
    body = response.json()
    report.accepted += body["accepted"]
    report.duplicates += body["duplicates"]
    report.rejected += len(body["rejected"])
    for item in body["rejected"][:3]:
        report.errors = [*report.errors[-4:], f"rejected: {item['error']}"]
    return True


async def _send_all(
    client: httpx.AsyncClient, batches: list[tuple[int, list[dict[str, Any]]]], report: SimulationReport,
    connections: int, *, final: bool,
) -> list[tuple[int, list[dict[str, Any]]]]:
    """Post (attempt, batch) pairs, ``connections`` at a time; returns those to try again."""
    gate = asyncio.Semaphore(connections)
    again: list[tuple[int, list[dict[str, Any]]]] = []

    async def send(attempt: int, batch: list[dict[str, Any]]) -> None:
        async with gate:
            if await _post(client, batch, report):
                return
        if attempt < MAX_ATTEMPTS and not final:
            again.append((attempt + 1, batch))
        else:
            report.lost += len(batch)

    await asyncio.gather(*(send(a, b) for a, b in batches))
    return again


async def simulate_async(
    server: str, ingest_key: str, *, viewers: int, duration_s: float, seed: int | str | None = None,
    heartbeat_s: int = 10, connections: int = 4, tick_s: float = 1.0, progress: Progress | None = None,
) -> SimulationReport:
    """Post the traffic of ``viewers`` live viewers for ``duration_s`` seconds of wall time."""
    run = str(seed) if seed is not None else secrets.token_hex(4)  # fresh session ids per run
    sim = Simulator(seed if seed is not None else run)
    now_ms = int(time.time() * 1000)
    audience = LiveAudience(sim, viewers, now_ms, heartbeat_s=heartbeat_s, run=run)
    report = SimulationReport()
    retry: list[tuple[int, list[dict[str, Any]]]] = []
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Authorization": f"Bearer {ingest_key}"}
    task = progress.add_task("simulating", total=duration_s, stats="") if progress else None
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=server, headers=headers, limits=limits, timeout=30) as client:
        while True:
            elapsed = time.monotonic() - started
            done = elapsed >= duration_s
            now_ms = int(time.time() * 1000)
            events = audience.due(now_ms) + (audience.stop(now_ms) if done else [])
            batches = [(1, events[i:i + BATCH_EVENTS]) for i in range(0, len(events), BATCH_EVENTS)]
            retry = await _send_all(client, retry + batches, report, connections, final=done)
            report.sent += len(events)
            report.views_started = audience.sessions_started
            if progress is not None and task is not None:
                progress.update(task, completed=min(elapsed, duration_s), stats=_stats(report))
            if done:
                return report
            await asyncio.sleep(max(0.0, tick_s - (time.monotonic() - started - elapsed)))


def _stats(report: SimulationReport) -> str:
    text = (f"{report.sent:,} events, {report.accepted:,} accepted, {report.views_started:,} views"
            + (f", [red]{report.rejected:,} rejected[/red]" if report.rejected else "")
            + (f", [yellow]{report.failed_requests} failed requests[/yellow]" if report.failed_requests else ""))
    return text


def run_simulation(
    server: str, ingest_key: str, viewers: int, duration_s: float, *, seed: int | None = None,
    heartbeat_s: int = 10, connections: int = 4, console: Console | None = None,
) -> SimulationReport:
    """Run ``simulate_async`` with a progress bar; prints a summary and returns the report."""
    console = console or Console()
    console.print(f"simulating {viewers} viewers for {duration_s:g} s against {server} "
                  f"(heartbeat every {heartbeat_s} s, {connections} connections)")
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), TimeElapsedColumn(), TextColumn("/"),
               TimeRemainingColumn(), TextColumn("{task.fields[stats]}"))
    try:
        with Progress(*columns, console=console, transient=False) as progress:
            report = asyncio.run(simulate_async(
                server, ingest_key, viewers=viewers, duration_s=duration_s, seed=seed,
                heartbeat_s=heartbeat_s, connections=connections, progress=progress))
    except IngestKeyRefused as exc:
        console.print(f"[red]the server refused the ingest key (401):[/red] {exc}")
        raise SystemExit(1) from None
    console.print(f"done: {_stats(report)}, {report.duplicates:,} duplicates, {report.lost:,} lost")
    for error in report.errors:
        console.print(f"  [dim]{error}[/dim]")
    return report
