"""``mediastats demo`` (what ``make run`` starts): a demo account with history and live viewers.

On the first start it creates the account "Demo Streaming Co" (plus two data slices and a
user-specific key) and remembers its ids and keys in ``<data dir>/demo.json``; later starts reuse
them. It backfills simulated history through the real ingest pipeline up to now — ``days`` on the
first start, only the time the demo was not running on later ones, so history is never doubled —
then serves the API while ``live_viewers`` simulated viewers keep watching in real time, and
prints the admin token, the keys and one ``curl`` per API.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from mediastats.config import Settings
from mediastats.services import Services, build_services
from mediastats.simulate_sessions import Simulator
from mediastats.simulate_traffic import HOUR_MS, LiveAudience, history

log = logging.getLogger(__name__)

ACCOUNT_NAME = "Demo Streaming Co"
STATE_FILE = "demo.json"
HISTORY_SEED = 20261
# About 45 k events a day (60 s heartbeats in history): 14 days ≈ 0.65 M events.
SESSIONS_PER_DAY = 1000
BACKFILL_BATCH = 50_000
# Distinct viewers the history draws from: regulars come back, so uniques < views.
AUDIENCE = 2500
DAY_MS = 86_400_000


def run_demo(data_dir: Path, host: str, port: int, days: int, live_viewers: int) -> None:
    """Create or reuse the demo account, backfill history, then serve with live viewers."""
    from mediastats.storage.base import StorageLocked

    console = Console()
    settings = Settings.from_env(data_dir=data_dir, host=host, port=port)
    try:
        services = build_services(settings)
    except StorageLocked as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise SystemExit(1) from None
    try:
        state = demo_account(services, data_dir / STATE_FILE)
        asyncio.run(_backfill_then_serve(services, settings, state, data_dir / STATE_FILE, days, live_viewers,
                                         console))
    finally:
        services.close()


def demo_account(services: Services, path: Path) -> dict[str, Any]:
    """The demo state: the saved one if its account still exists, else a new account."""
    state = _load(path)
    known = state.get("account", {}).get("id")
    if not known or services.accounts.account(known) is None:
        accounts = services.accounts
        account = accounts.create_account(ACCOUNT_NAME)
        europe = accounts.create_slice(account["id"], "Europe edges", ["edge-fra-1", "edge-lon-1"], [])
        sport = accounts.create_slice(account["id"], "Sport channel", [], ["sport"])
        user_key = accounts.create_key(account["id"], "Sport partner (user key)", [sport.id])
        full = next(s for s in accounts.slices(account["id"]) if s.id not in (europe.id, sport.id))
        state = {
            "account": account,
            "slices": {"full": full.id, "europe": europe.id, "sport": sport.id},
            "user_key": {**user_key, "data_slices": [sport.id]},
            "admin_token": state.get("admin_token"),
        }
    if services.generated_admin_token:
        state["admin_token"] = services.generated_admin_token  # a demo: kept so it can be shown again
    _save(path, state)
    return state


async def _backfill_then_serve(services: Services, settings: Settings, state: dict[str, Any], path: Path,
                               days: int, live_viewers: int, console: Console) -> None:
    import uvicorn

    from mediastats.app import create_app

    await backfill(services, state, days, console)
    _save(path, state)
    print_welcome(console, settings, state)
    config = uvicorn.Config(create_app(settings, services=services), host=settings.host, port=settings.port,
                            log_level="warning")
    live = asyncio.create_task(keep_watching(services, state, path, live_viewers), name="demo-viewers")
    try:
        await uvicorn.Server(config).serve()
    finally:
        live.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await live
        state["history_until_ms"] = services.now_ms()
        _save(path, state)


async def backfill(services: Services, state: dict[str, Any], days: int, console: Console) -> int:
    """Ingest simulated history from where the last run stopped (at most ``days`` ago) to now."""
    now_ms = services.now_ms()
    start_ms = max(int(state.get("history_until_ms") or 0), now_ms - days * DAY_MS)
    if days <= 0 or now_ms - start_ms < 60_000:
        return 0
    account_id = state["account"]["id"]
    sim = Simulator(HISTORY_SEED, audience=AUDIENCE)
    stored = rejected = 0
    in_flight: set[asyncio.Task[Any]] = set()
    columns = (TextColumn("[bold]backfilling history"), BarColumn(), TextColumn("{task.fields[stats]}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("history", total=(now_ms - start_ms) / HOUR_MS, stats="")
        for batch, reached_ms in history(sim, start_ms, now_ms, sessions_per_day=SESSIONS_PER_DAY,
                                             heartbeat_s=60, batch_events=BACKFILL_BATCH):
            # Two batches in flight: the next one is generated while the store inserts this one.
            in_flight.add(asyncio.create_task(services.ingestor.ingest_dicts(account_id, batch)))
            if len(in_flight) >= 2:
                done, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                for finished in done:
                    stored, rejected = stored + finished.result().accepted, rejected + len(finished.result().rejected)
            progress.update(task, completed=(reached_ms - start_ms) / HOUR_MS,
                            stats=f"{stored:,} events, {_day(reached_ms)}")
        for finished in await asyncio.gather(*in_flight):
            stored, rejected = stored + finished.accepted, rejected + len(finished.rejected)
        progress.update(task, completed=(now_ms - start_ms) / HOUR_MS, stats=f"{stored:,} events")
    if rejected:
        console.print(f"[yellow]{rejected} simulated events were rejected[/yellow]")
    state["history_until_ms"] = now_ms
    return stored


async def keep_watching(services: Services, state: dict[str, Any], path: Path, viewers: int) -> None:
    """``viewers`` viewers watching now, a heartbeat every 10 s, through the ingest pipeline."""
    if viewers <= 0:
        return
    run = secrets.token_hex(4)
    start_ms = int(state.get("history_until_ms") or services.now_ms())
    audience = LiveAudience(Simulator(f"demo-live-{run}"), viewers, start_ms, run=run)
    saved_ms = start_ms
    account_id = state["account"]["id"]
    while True:
        now_ms = services.now_ms()
        events = audience.due(now_ms)
        if events:
            try:
                await services.ingestor.ingest_dicts(account_id, events)
            except Exception:  # the store may be stopping; the next tick tries again
                log.exception("demo viewers: ingest failed")
        if now_ms - saved_ms >= 60_000:
            state["history_until_ms"] = saved_ms = now_ms
            _save(path, state)
        await asyncio.sleep(1.0)


def example_curls(base: str, state: dict[str, Any], today: datetime) -> list[tuple[str, str]]:
    """(title, command) for each API (CONTRACT §2 and §6)."""
    account, user = state["account"], state["user_key"]
    key, cid, account_id = account["api_key"], account["client_id"], account["id"]
    first, last = (today - timedelta(days=6)).date().isoformat(), today.date().isoformat()
    native_body = ('{"metrics": ["views", "unique_viewers", "viewing_time_ms", "active_views.max"], '
                   '"dimensions": ["channel_id"], "since": "24h"}')
    return [
        ("native query API", f"curl -s -X POST '{base}/v1/query' -H 'Authorization: Bearer {key}' "
                             f"-H 'Content-Type: application/json' -d '{native_body}'"),
        ("WMSPanel players_stats", f"curl -s '{base}/wmspanel/v1/players_stats?client_id={cid}&api_key={key}"
                                   f"&from={first}&to={last}'"),
        ("WMSPanel data_slices, user-specific key",
         f"curl -s '{base}/wmspanel/v1/data_slices?client_id={user['client_id']}&api_key={user['api_key']}'"),
        ("System73 summary", f"curl -s -H 'Authorization: {key}' '{base}/system73/summary?time=24h'"),
        ("Amagi viewershipAnalytics", f"curl -s -H 'x-access-token: {key}' '{base}/amagi/api/v2?type="
                                      f"viewershipAnalytics&customerId={account_id}&startDate={first}"
                                      f"&endDate={last}&interval=DAILY'"),
        ("Streamroot audience", f"curl -s -X POST '{base}/streamroot/v3/customers/{account_id}/dna/data/audience' "
                                f"-H 'Authorization: API-Key {key}' -H 'Content-Type: application/json' "
                                "-d '{\"since\": \"1h\"}'"),
    ]


def print_welcome(console: Console, settings: Settings, state: dict[str, Any]) -> None:
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    base = f"http://{host}:{settings.port}"
    account, user = state["account"], state["user_key"]
    token = settings.admin_token or state.get("admin_token")

    def line(text: str) -> None:
        console.print(text, soft_wrap=True, highlight=False, markup=False)

    console.rule("mediastats demo")
    line(f"URL:             {base}/   (dashboard)   {base}/docs   (OpenAPI)")
    line(f"admin token:     {token or '(chosen before the demo first ran: not known here)'}"
         + ("   (from MEDIASTATS_ADMIN_TOKEN)" if settings.admin_token else "   (a demo: kept in demo.json)"))
    line(f"account:         {account['name']}   id {account['id']}")
    line(f"ingest key:      {account['ingest_key']}")
    line(f"client_id:       {account['client_id']}")
    line(f"api_key:         {account['api_key']}   (account-wide)")
    line(f"user key:        client_id {user['client_id']}  api_key {user['api_key']}   (Sport channel slice only)")
    line(f"data slices:     {', '.join(f'{k}={v}' for k, v in state['slices'].items())}")
    line("")
    for title, command in example_curls(base, state, datetime.now(UTC)):
        line(f"# {title}")
        line(command)
    line("")
    line(f"more traffic:    mediastats simulate --server {base} --ingest-key {account['ingest_key']} "
         "--viewers 200 --duration 10m")
    console.rule()
    console.file.flush()


def _day(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:00")


def _load(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _save(path: Path, state: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2))
    tmp.chmod(0o600)
    tmp.replace(path)
