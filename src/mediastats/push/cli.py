"""``mediastats push …``: operator commands for push subscriptions.

    mediastats push test <subscription> [--event E] [--data-dir DIR]

``test`` sends one signed sample to the subscription's URL now, from this process, using the
server's metadata store (the data dir's ``meta.sqlite3``, or ``MEDIASTATS_DATABASE_URL``); it
works whether or not the server is running. The cli module adds it with
``app.add_typer(push_app, name="push")``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from mediastats.config import Settings
from mediastats.meta.db import create_engine_for, sqlite_url
from mediastats.push.bodies import EVENTS
from mediastats.push.sample import send_sample
from mediastats.push.subscriptions import SubscriptionStore

push_app = typer.Typer(help="Push (webhook) subscriptions: send a signed sample to a receiver.")
console = Console()


@push_app.callback()
def push_group() -> None:
    """Push (webhook) subscriptions."""


@push_app.command("test")
def push_test(
    subscription: Annotated[str, typer.Argument(help="Subscription id (from POST /v1/push/subscriptions).")],
    event: Annotated[
        str | None, typer.Option(help=f"Which sample: {', '.join(EVENTS)} (default: its first event).")
    ] = None,
    data_dir: Annotated[Path, typer.Option("--data-dir", help="The server's data dir.")] = Path("./mediastats-data"),
) -> None:
    """Send a signed sample of a push event to a subscription's URL and show the answer."""
    settings = Settings.from_env(data_dir=data_dir)
    if settings.database_url is None and not (data_dir / "meta.sqlite3").exists():
        console.print(f"[red]error:[/red] no mediastats data in {data_dir}; pass --data-dir")
        raise typer.Exit(1)
    engine = create_engine_for(settings.database_url or sqlite_url(data_dir))
    try:
        sub = SubscriptionStore(engine).get(subscription)
        if sub is None:
            console.print(f"[red]error:[/red] no subscription {subscription!r}")
            raise typer.Exit(1)
        chosen = event or sub.events[0]
        if chosen not in EVENTS:
            raise typer.BadParameter(f"choose one of {', '.join(EVENTS)}", param_hint="--event")
        outcome = asyncio.run(send_sample(engine, sub, chosen, allow_private=settings.push_allow_private))
    finally:
        engine.dispose()
    shown = outcome.status_code if outcome.status_code is not None else "no answer"
    console.print(f"{chosen} sample → {sub.url}: {shown} ({outcome.duration_ms} ms)")
    if not outcome.delivered:
        console.print(f"[red]not delivered:[/red] {outcome.error}")
        raise typer.Exit(1)
