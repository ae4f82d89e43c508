"""Ingest throughput over HTTP, against a raw chdb bulk insert of the same rows in the same run.

    .venv/bin/python bench/ingest.py                    # 5 M events, 1,000 a batch, 2 clients × 16 connections
    .venv/bin/python bench/ingest.py --quick            # 200 k events
    .venv/bin/python bench/ingest.py --clients 1 --connections 32

1. starts ``mediastats serve`` on a temp data dir and creates an account (operator API);
2. each client process pre-generates its share of simulated events (views with a heartbeat every
   10 s, ad funnels, device mix — ``mediastats.simulate``) and pre-encodes the 1,000-event JSON
   bodies, before the clock starts;
3. the clients POST /v1/events over ``--connections`` keep-alive connections each; the rate is
   acknowledged events ÷ wall time from the start signal to the last answer;
4. the server stops; this process builds the same stored rows with the server's own steps
   (decode, validate, normalize) and inserts them into a fresh chdb data dir, 100 k rows an
   insert, timing only the inserts. It uses the server's own insert (``insert_json_rows``:
   NDJSON streamed to chdb), the fastest way measured for chdb to take these rows: 100 k rows
   as the data part of an SQL text took ~5x the CPU, ``FROM INFILE`` about the same CPU (plus the
   file), an Arrow table through ``Python()`` more once the schema's views and codecs are there,
   and far more to build from the rows.

The clients share the machine with the server (2 cores): their CPU time is measured and printed,
as is the server's, so the figures can be read per core too. On a machine shared with other
work, wall-clock rates move with its load (printed); CPU µs per event move much less, so the
ratio is also given by CPU time.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import orjson

from bench.common import ServeProcess, cpu_by_thread, cpu_seconds, exact_batch
from mediastats.simulate_sessions import Simulator

SEED = 2024
RAW_ROWS_PER_INSERT = 100_000


def client_main(k: int, clients: int, args: dict[str, Any], ready: Any, start: Any, results: Any) -> None:
    """One client process: generate and encode its batches, wait for the start, post them."""
    sim = Simulator(SEED)
    mine = range(k, args["batches"], clients)
    bodies = [orjson.dumps(exact_batch(sim, i, args["batch"], args["base_ms"], args["span_ms"])) for i in mine]
    Path(args["spool"], f"client-{k}.bin").write_bytes(b"".join(len(b).to_bytes(4, "big") + b for b in bodies))
    ready.put(k)
    start.wait()
    cpu0 = time.process_time()
    totals = asyncio.run(post_all(args["url"], args["ingest_key"], bodies, args["connections"]))
    results.put({**totals, "end": time.time(), "cpu": time.process_time() - cpu0})


async def post_all(url: str, key: str, bodies: list[bytes], connections: int) -> dict[str, int]:
    totals = {"accepted": 0, "duplicates": 0, "rejected": 0, "errors": 0}
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    pending = iter(bodies)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=300) as client:

        async def worker() -> None:
            for body in pending:
                r = await client.post("/v1/events", content=body)
                if r.status_code != 200:
                    totals["errors"] += 1
                    continue
                answer = orjson.loads(r.content)
                totals["accepted"] += answer["accepted"]
                totals["duplicates"] += answer["duplicates"]
                totals["rejected"] += len(answer["rejected"])

        await asyncio.gather(*(worker() for _ in range(connections)))
    return totals


def spooled_bodies(spool: Path) -> list[bytes]:
    bodies = []
    for path in sorted(spool.glob("client-*.bin")):
        data, at = path.read_bytes(), 0
        while at < len(data):
            size = int.from_bytes(data[at:at + 4], "big")
            bodies.append(data[at + 4:at + 4 + size])
            at += 4 + size
    return bodies


def raw_insert(bodies: list[bytes], account_id: str, scratch: Path) -> tuple[int, float, float]:
    """(rows, wall s, CPU s) of bulk-inserting the rows the server stores for ``bodies``."""
    from mediastats.ingest.decode import decode_valid_array
    from mediastats.ingest.enrich import Enricher
    from mediastats.ingest.normalize import SessionCache, normalize_batch
    from mediastats.ingest.validate import Valid, check
    from mediastats.ingest.writer import _ENCODER
    from mediastats.storage.chdb_backend import ChdbStorage

    storage = ChdbStorage(scratch / "raw-store")
    storage.migrate()
    enricher, cache = Enricher(), SessionCache()
    now_ms = int(time.time() * 1000)
    rows_total, wall, cpu = 0, 0.0, 0.0
    pending: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal rows_total, wall, cpu
        payload = _ENCODER.encode_lines(pending)
        w, c = time.perf_counter(), time.process_time()
        storage.insert_json_rows("events", payload)
        wall += time.perf_counter() - w
        cpu += time.process_time() - c
        rows_total += len(pending)
        pending.clear()

    for body in bodies:
        events = decode_valid_array(body, "application/json") or []
        valid = [v for i, e in enumerate(events) if isinstance(v := check(i, e, now_ms), Valid)]
        pending += normalize_batch(account_id, valid, cache, enricher, now_ms)
        if len(pending) >= RAW_ROWS_PER_INSERT:
            flush()
    if pending:
        flush()
    storage.close()
    enricher.close()
    return rows_total, wall, cpu


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=5_000_000, help="events to post (default 5,000,000)")
    parser.add_argument("--batch", type=int, default=1000, help="events per request (default 1000)")
    parser.add_argument("--clients", type=int, default=2, help="client processes (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="connections per client process (default 16)")
    parser.add_argument("--quick", action="store_true", help="200,000 events")
    parser.add_argument("--server-src", help="run the server from this src/ directory (before/after comparisons)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch dir (server data, spooled bodies)")
    args = parser.parse_args()
    events = 200_000 if args.quick else args.events
    batches = -(-events // args.batch)
    events = batches * args.batch
    scratch = Path(tempfile.mkdtemp(prefix="mediastats-bench-ingest-"))
    (scratch / "spool").mkdir()
    now_ms = int(time.time() * 1000)
    print(f"ingest benchmark: {events:,} events in {batches:,} batches of {args.batch}, "
          f"{args.clients} client process(es) × {args.connections} connection(s); scratch {scratch}")
    print(f"  machine: {os.cpu_count()} cores, load average {_load()}")
    with ServeProcess(scratch / "server-data", pythonpath=args.server_src) as server:
        account = server.create_account("bench")
        shared = {"url": server.url, "ingest_key": account["ingest_key"], "batches": batches, "batch": args.batch,
                  "connections": args.connections, "spool": str(scratch / "spool"),
                  # Views start 30 h to 6 h ago, so every event is in the past.
                  "base_ms": now_ms - 30 * 3_600_000, "span_ms": 24 * 3_600_000}
        ctx = mp.get_context("fork")
        ready, results, start = ctx.Queue(), ctx.Queue(), ctx.Event()
        procs = [ctx.Process(target=client_main, args=(k, args.clients, shared, ready, start, results))
                 for k in range(args.clients)]
        t = time.perf_counter()
        for p in procs:
            p.start()
        for _ in procs:
            ready.get()
        print(f"  generated and encoded the bodies in {time.perf_counter() - t:.1f} s (not timed)")
        server_cpu0, threads0 = cpu_seconds(server.pid), cpu_by_thread(server.pid)
        began = time.time()
        start.set()
        outcomes = [results.get() for _ in procs]
        elapsed = max(o["end"] for o in outcomes) - began
        server_cpu = cpu_seconds(server.pid) - server_cpu0
        threads = {k: v - threads0.get(k, 0.0) for k, v in cpu_by_thread(server.pid).items()}
        for p in procs:
            p.join()
    totals = {key: sum(o[key] for o in outcomes) for key in ("accepted", "duplicates", "rejected", "errors")}
    client_cpu = sum(o["cpu"] for o in outcomes)
    print(f"  HTTP: {totals}")
    print("  building the same rows in-process for the raw chdb insert …")
    rows, raw_wall, raw_cpu = raw_insert(spooled_bodies(scratch / "spool"), account["id"], scratch)
    http_rate, raw_rate = totals["accepted"] / elapsed, rows / raw_wall
    print()
    print(f"{'':38} {'events':>11} {'seconds':>8} {'events/s':>10} {'CPU µs/event':>13}")
    print(f"{'HTTP ingest (POST /v1/events)':38} {totals['accepted']:>11,} {elapsed:>8.1f} {http_rate:>10,.0f} "
          f"{(server_cpu + client_cpu) / max(1, totals['accepted']) * 1e6:>13.1f}")
    print(f"{'  of which server process':38} {'':>11} {'':>8} {'':>10} "
          f"{server_cpu / max(1, totals['accepted']) * 1e6:>13.1f}")
    for name, seconds in sorted(threads.items(), key=lambda kv: -kv[1])[:4]:
        print(f"{'    server threads ' + repr(name):38} {'':>11} {'':>8} {'':>10} "
              f"{seconds / max(1, totals['accepted']) * 1e6:>13.1f}")
    print(f"{'  of which client processes':38} {'':>11} {'':>8} {'':>10} "
          f"{client_cpu / max(1, totals['accepted']) * 1e6:>13.1f}")
    print(f"{'raw chdb INSERT, 100k rows each':38} {rows:>11,} {raw_wall:>8.1f} {raw_rate:>10,.0f} "
          f"{raw_cpu / max(1, rows) * 1e6:>13.1f}")
    http_cpu = (server_cpu + client_cpu) / max(1, totals["accepted"])
    print(f"\nratio HTTP ingest / raw insert: {http_rate / raw_rate:.2f}   "
          f"(by CPU time per event: {raw_cpu / max(1, rows) / max(http_cpu, 1e-9):.2f})   "
          f"(rejected {totals['rejected']}, duplicates {totals['duplicates']}, failed requests {totals['errors']})")
    print(f"  machine load average at the end {_load()}")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
