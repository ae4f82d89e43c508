"""The ``mediastats`` command.

    mediastats serve      run the server on a data dir (embedded store) or a ClickHouse URL
    mediastats demo       create a demo account with history and live viewers, then serve
    mediastats simulate   post realistic viewer traffic to a running server
    mediastats accounts   create / list accounts (operator API over HTTP)
    mediastats keys       create user-specific keys
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console

from mediastats.config import SURFACES, Settings
from mediastats.push.cli import push_app

app = typer.Typer(
    help="mediastats: self-hostable streaming analytics with drop-in WMSPanel, System73, Amagi "
    "and Streamroot APIs. Start with `mediastats demo`, then open http://127.0.0.1:8080/docs.",
    no_args_is_help=True,
    add_completion=False,
)
accounts_app = typer.Typer(help="Manage accounts through the operator API of a running server.")
keys_app = typer.Typer(help="Manage API keys through the operator API of a running server.")
app.add_typer(accounts_app, name="accounts")
app.add_typer(keys_app, name="keys")
app.add_typer(push_app, name="push")
console = Console()

DataDir = Annotated[Path, typer.Option("--data-dir", help="Where the embedded store keeps its files.")]
Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.")]
Server = Annotated[str, typer.Option("--server", help="Base URL of a running mediastats server.")]
AdminToken = Annotated[
    str, typer.Option("--admin-token", envvar="MEDIASTATS_ADMIN_TOKEN", help="Operator token.")
]


def _check_surface(surface: str | None) -> str | None:
    if surface is not None and surface not in SURFACES:
        raise typer.BadParameter(f"choose one of {', '.join(SURFACES)}", param_hint="--surface")
    return surface


@app.command()
def serve(
    data_dir: DataDir = Path("./mediastats-data"),
    host: Host = "127.0.0.1",
    port: Port = 8080,
    fsync: Annotated[bool, typer.Option(help="fsync every insert (survives power loss).")] = False,
    surface: Annotated[
        str | None, typer.Option(help="Also mount one vendor API at / for drop-in use.")
    ] = None,
) -> None:
    """Run the server: HTTP API, ingestion, push delivery and the report scheduler.

    Set MEDIASTATS_ADMIN_TOKEN to choose the operator token; otherwise one is generated on the
    first start and printed once. MEDIASTATS_CLICKHOUSE_URL switches to a ClickHouse server.
    """
    import uvicorn

    from mediastats.app import create_app
    from mediastats.services import build_services
    from mediastats.storage.base import StorageLocked

    settings = Settings.from_env(
        data_dir=data_dir, host=host, port=port, fsync=fsync, surface=_check_surface(surface)
    )
    try:
        services = build_services(settings)
    except StorageLocked as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if services.generated_admin_token:
        console.print(
            f"admin token (shown once, keep it): [bold]{services.generated_admin_token}[/bold]"
        )
    console.print(f"mediastats listening on http://{host}:{port}  (API docs: /docs)")
    try:
        uvicorn.run(create_app(settings, services=services), host=host, port=port, log_level="warning",
                    proxy_headers=False)
    finally:
        services.close()


@app.command()
def demo(
    data_dir: DataDir = Path("./mediastats-data"),
    host: Host = "127.0.0.1",
    port: Port = 8080,
    days: Annotated[int, typer.Option(help="Days of simulated history.")] = 14,
    live_viewers: Annotated[int, typer.Option(help="Viewers that keep watching while it runs.")] = 40,
) -> None:
    """Create a demo account with history and live viewers, then serve it."""
    from mediastats.demo import run_demo

    run_demo(data_dir=data_dir, host=host, port=port, days=days, live_viewers=live_viewers)


@app.command()
def simulate(
    server: Server = "http://127.0.0.1:8080",
    ingest_key: Annotated[str, typer.Option(envvar="MEDIASTATS_INGEST_KEY", help="Account ingest key.")] = "",
    viewers: Annotated[int, typer.Option(help="Concurrent simulated viewers.")] = 100,
    duration: Annotated[str, typer.Option(help="How long, e.g. 90s, 10m, 1h.")] = "10m",
    seed: Annotated[
        int | None, typer.Option(help="Seed for the same traffic every run (default: new viewers each run).")
    ] = None,
    connections: Annotated[int, typer.Option(help="Concurrent HTTP connections.")] = 4,
) -> None:
    """Post realistic viewer events (start, heartbeats every 10 s, end) to a running server."""
    from mediastats.simulate import parse_duration, run_simulation

    if not ingest_key:
        raise typer.BadParameter("pass --ingest-key or set MEDIASTATS_INGEST_KEY", param_hint="--ingest-key")
    try:
        duration_s = parse_duration(duration)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--duration") from None
    run_simulation(server, ingest_key, viewers=viewers, duration_s=duration_s, seed=seed, connections=connections)


def _admin(server: str, token: str) -> httpx.Client:
    if not token:
        raise typer.BadParameter("pass --admin-token or set MEDIASTATS_ADMIN_TOKEN", param_hint="--admin-token")
    return httpx.Client(base_url=server, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _show(response: httpx.Response) -> None:
    if response.status_code >= 400:
        console.print(f"[red]error {response.status_code}:[/red] {response.text}")
        raise typer.Exit(1)
    console.print_json(response.text)


@accounts_app.command("create")
def accounts_create(
    name: Annotated[str, typer.Argument(help="Account name.")],
    server: Server = "http://127.0.0.1:8080",
    admin_token: AdminToken = "",
) -> None:
    """Create an account; prints its id, ingest key and account-wide API key (shown once)."""
    with _admin(server, admin_token) as client:
        _show(client.post("/admin/v1/accounts", json={"name": name}))


@accounts_app.command("list")
def accounts_list(server: Server = "http://127.0.0.1:8080", admin_token: AdminToken = "") -> None:
    """List accounts and their settings."""
    with _admin(server, admin_token) as client:
        _show(client.get("/admin/v1/accounts"))


@accounts_app.command("set")
def accounts_set(
    account_id: Annotated[str, typer.Argument(help="Account id.")],
    ip_whitelist: Annotated[
        str | None, typer.Option(help="Comma-separated IPs/CIDRs; empty string clears it.")
    ] = None,
    daily_api_limit: Annotated[int | None, typer.Option(help="Query calls per UTC day.")] = None,
    api_enabled: Annotated[bool | None, typer.Option("--api-enabled/--api-disabled")] = None,
    server: Server = "http://127.0.0.1:8080",
    admin_token: AdminToken = "",
) -> None:
    """Change an account's whitelist, daily limit, or enable/disable its API."""
    body: dict[str, object] = {}
    if ip_whitelist is not None:
        body["ip_whitelist"] = [p.strip() for p in ip_whitelist.split(",") if p.strip()]
    if daily_api_limit is not None:
        body["daily_api_limit"] = daily_api_limit
    if api_enabled is not None:
        body["api_enabled"] = api_enabled
    with _admin(server, admin_token) as client:
        _show(client.patch(f"/admin/v1/accounts/{account_id}", json=body))


@keys_app.command("create")
def keys_create(
    account_id: Annotated[str, typer.Argument(help="Account id.")],
    name: Annotated[str, typer.Option(help="A label for the key.")] = "user key",
    data_slice: Annotated[
        list[str] | None, typer.Option("--data-slice", help="Limit the key to this slice (repeatable).")
    ] = None,
    server: Server = "http://127.0.0.1:8080",
    admin_token: AdminToken = "",
) -> None:
    """Create a key: user-specific when --data-slice is given, else account-wide."""
    with _admin(server, admin_token) as client:
        _show(client.post(f"/admin/v1/accounts/{account_id}/keys", json={"name": name, "data_slices": data_slice}))


@keys_app.command("rotate")
def keys_rotate(
    account_id: Annotated[str, typer.Argument(help="Account id.")],
    server: Server = "http://127.0.0.1:8080",
    admin_token: AdminToken = "",
) -> None:
    """Issue a new account-wide key; the old one stops working at once."""
    with _admin(server, admin_token) as client:
        _show(client.post(f"/admin/v1/accounts/{account_id}/keys/rotate"))


def main() -> None:  # pragma: no cover - console entry point
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()
