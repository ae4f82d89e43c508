"""Shared pieces of the benchmarks: a ``mediastats serve`` subprocess, CPU accounting, and
batches of simulated events of an exact size.

One chdb data dir per process: the server under test runs in its own process, so a benchmark
process may open a second, fresh store for its baseline.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from mediastats.simulate_sessions import Simulator
from mediastats.simulate_traffic import end_early

ADMIN_TOKEN = "bench-admin-token"
_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def cpu_by_thread(pid: int) -> dict[str, float]:
    """CPU seconds of a process's live threads, summed by thread name (``python`` is the
    interpreter's threads; chdb names its own, e.g. ``ThreadPool`` for query work and
    ``MergeMutate`` for background merges)."""
    by_name: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name_part, rest = (task / "stat").read_text().rsplit(")", 1)
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended meanwhile
        fields = rest.split()
        name = name_part.split("(", 1)[1]
        by_name[name] = by_name.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / _TICKS
    return by_name


class ServeProcess:
    """``mediastats serve`` on ``data_dir`` and a free loopback port."""

    def __init__(self, data_dir: Path, pythonpath: str | None = None) -> None:
        self.data_dir = data_dir
        self.pythonpath = pythonpath  # run the server from another source tree (before/after runs)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ServeProcess:
        env = {**os.environ, "MEDIASTATS_ADMIN_TOKEN": ADMIN_TOKEN}
        if self.pythonpath:
            env["PYTHONPATH"] = os.pathsep.join(p for p in (self.pythonpath, env.get("PYTHONPATH")) if p)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log = self.data_dir.parent / "server.log"  # a file, not a pipe: a full pipe would block it
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "mediastats", "serve", "--data-dir", str(self.data_dir), "--port",
                 str(self.port)],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                err = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"mediastats serve exited with {self.proc.returncode}: {err}")
            try:
                if httpx.get(self.url + "/openapi.json", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("mediastats serve did not start")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def create_account(self, name: str) -> dict[str, Any]:
        r = httpx.post(self.url + "/admin/v1/accounts", json={"name": name},
                       headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=30)
        r.raise_for_status()
        return dict(r.json())

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def exact_batch(sim: Simulator, index: int, size: int, base_ms: int, span_ms: int,
                heartbeat_s: int = 10) -> list[dict[str, Any]]:
    """Batch ``index``: exactly ``size`` events, whole views only (the last one may end early), so
    that concurrent batches never depend on each other's view_start."""
    rng = sim.rng("bench-batch", index)
    events: list[dict[str, Any]] = []
    n = 0
    while len(events) < size:
        room = size - len(events)
        start_ms = base_ms + rng.randrange(span_ms)
        if room == 1:
            events.append({"ts": start_ms, "type": "server_sync", "event_id": f"bench-sync:{index}",
                           "server_id": "edge-fra-1", "server_name": "Frankfurt edge 1"})
            break
        view = sim.session(start_ms, sim.rng("bench", index, n), heartbeat_s=heartbeat_s)
        n += 1
        events += view if len(view) <= room else end_early(view, room)
    return events
