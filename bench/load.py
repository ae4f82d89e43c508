"""A small asyncio load generator against 127.0.0.1 only: N concurrent API clients mixing queries
of every surface and ingest, for a fixed time; prints throughput, p50/p95 latency and error rate.

    .venv/bin/python bench/load.py                      # 200 clients, 5 minutes, own server
    .venv/bin/python bench/load.py --clients 50 --seconds 30
    .venv/bin/python bench/load.py --url http://127.0.0.1:8080 --admin-token T

Without ``--url`` it starts ``mediastats serve`` on a temp data dir. An error is a 5xx, a
dropped connection or a timeout; 4xx answers would be client bugs here and are counted apart.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import ADMIN_TOKEN
from tests.helpers import ServeProcess
from tests.reliability.surfaces import QUERY_CALLS, Call, Key, credentials, fill_ids
from tests.reliability.tenants import make_tenant

INGEST_SHARE = 0.3  # of all calls
BATCH = 50


@dataclass
class LoadFigures:
    clients: int
    seconds: float = 0.0
    calls: int = 0
    ingest_calls: int = 0
    events: int = 0
    errors: int = 0
    client_errors: int = 0
    error_samples: list[str] = field(default_factory=list)  # the first few, to say what failed
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0

    @property
    def error_rate(self) -> float:
        return self.errors / self.calls if self.calls else 0.0

    def percentile(self, q: float) -> float:
        values = sorted(self.latencies_ms)
        return values[max(0, min(len(values) - 1, int(-(-q * len(values) // 1)) - 1))] if values else 0.0

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("clients", str(self.clients)), ("duration s", f"{self.seconds:.0f}"),
            ("calls", str(self.calls)), ("of which ingest", f"{self.ingest_calls} ({self.events} events)"),
            ("throughput calls/s", f"{self.throughput:.1f}"), ("p50 ms", f"{self.percentile(0.50):.0f}"),
            ("p95 ms", f"{self.percentile(0.95):.0f}"), ("errors (5xx, dropped, timeout)", str(self.errors)),
            ("error rate", f"{self.error_rate:.4%}"), ("4xx", str(self.client_errors)),
            *(("error", sample) for sample in self.error_samples),
        ]


def request_of(call: Call, key: Key, ids: dict[str, str]) -> dict[str, Any]:
    headers, params = credentials(call.surface, key)
    fill = {"account": key.account_id, **ids}
    return {"method": call.method, "url": fill_ids(call.path, fill),
            "params": {**{k: fill_ids(v, fill) for k, v in call.params.items()}, **params},
            "headers": headers, "json": call.body}


async def client_loop(client: httpx.AsyncClient, key: Key, ids: dict[str, str], deadline: float,
                      figures: LoadFigures, seed: int) -> None:
    rng = random.Random(seed)
    n = 0
    while time.perf_counter() < deadline:
        n += 1
        ingest = rng.random() < INGEST_SHARE
        if ingest:
            now = int(time.time() * 1000)
            events = [{"ts": now - 1000, "type": "heartbeat", "session_id": f"load{seed}-{n % 7}",
                       "event_id": f"load{seed}-{n}-{i}", "played_ms": 1000, "bytes_cdn": 5000}
                      for i in range(BATCH)]
            kwargs: dict[str, Any] = {"method": "POST", "url": "/v1/events", "json": events,
                                      "headers": {"Authorization": f"Bearer {key.ingest_key}"}}
        else:
            kwargs = request_of(rng.choice(QUERY_CALLS), key, ids)
        started = time.perf_counter()
        try:
            r = await client.request(**kwargs)
            status = r.status_code
            failure = f"{status} {kwargs['method']} {kwargs['url']}: {r.text[:120]}" if status >= 500 else ""
        except httpx.HTTPError as exc:
            status = 599
            waited = time.perf_counter() - started
            failure = f"{type(exc).__name__} after {waited:.1f} s: {kwargs['method']} {kwargs['url']}"
        figures.latencies_ms.append((time.perf_counter() - started) * 1000)
        figures.calls += 1
        if ingest:
            figures.ingest_calls += 1
            figures.events += BATCH if status == 200 else 0
        if status >= 500:
            figures.errors += 1
            if len(figures.error_samples) < 5:
                figures.error_samples.append(failure)
        elif status >= 400:
            figures.client_errors += 1


async def run_load(url: str, admin_token: str, clients: int, seconds: float) -> LoadFigures:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the load generator only runs against 127.0.0.1")
    tenant = make_tenant(url, {"Authorization": f"Bearer {admin_token}"}, f"load{random.randrange(10**6)}")
    figures = LoadFigures(clients=clients)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(client_loop(client, tenant.key, tenant.ids(), deadline, figures, i)
                               for i in range(clients)))
        figures.seconds = time.perf_counter() - started
    return figures


def load_against_own_server(clients: int, seconds: float) -> LoadFigures:
    with tempfile.TemporaryDirectory() as tmp, ServeProcess(Path(tmp) / "data") as serve:
        return asyncio.run(run_load(serve.url, ADMIN_TOKEN, clients, seconds))


def print_table(rows: list[tuple[str, str]], title: str) -> None:
    width = max(len(k) for k, _ in rows)
    print(f"\n{title}")
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--url", help="a running server on 127.0.0.1 (default: start one)")
    parser.add_argument("--admin-token", default=ADMIN_TOKEN)
    args = parser.parse_args()
    if args.url:
        figures = asyncio.run(run_load(args.url, args.admin_token, args.clients, args.seconds))
    else:
        figures = load_against_own_server(args.clients, args.seconds)
    print_table(figures.rows(), "load")


if __name__ == "__main__":
    main()
