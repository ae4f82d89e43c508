"""The crash drill: sustained ingest into a ``mediastats serve`` subprocess, SIGKILL at random
moments, restart, resend what was not acknowledged, and count what the store holds.

Every batch is one stream (``stream_id`` = batch id) of events with unique ``event_id`` and
``played_ms`` = 1, so ``viewing_time_ms`` per ``stream_id`` is the number of distinct stored
events of that batch: it must be exactly the batch size for every acknowledged or resent
batch, and 0 or the full size (never a part) for one that was in flight when the server died.

Each batch also carries one ``stream_publish`` (a push notification to a local receiver), and
a report schedule is back-dated while the server is down, so the run also shows that the push
outbox and the report scheduler resume after the crashes. Used by ``test_crash.py`` (pytest)
and ``bench/reliability.py`` (the figure table).
"""

from __future__ import annotations

import random
import signal
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.helpers import ServeProcess
from tests.push.receiver import Receiver

BATCH = 20
CLIENTS = 4


@dataclass
class CrashFigures:
    rounds: int = 0
    batches: int = 0
    acknowledged: int = 0
    resent: int = 0
    in_flight_partial: int = 0  # batches in flight at a kill found neither absent nor whole
    lost: int = 0  # acknowledged or resent batches with fewer events than sent
    doubled: int = 0  # batches with more events than sent
    publish_expected: int = 0
    publish_missing: list[str] = field(default_factory=list)
    # batches stored by a request that died with the server, acknowledged only as duplicates
    # of the resend: their triggers run from the push journal at the restart
    stored_unacknowledged: set[str] = field(default_factory=set)
    publish_gap: int = 0  # of those, how many were never pushed
    reports_built: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.in_flight_partial or self.lost or self.doubled or self.publish_missing
                    or self.publish_gap) and self.reports_built >= 2


def batch_events(batch_id: str, now_ms: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = [
        {"ts": now_ms - 60_000, "type": "heartbeat", "session_id": f"{batch_id}-s{i % 3}",
         "event_id": f"{batch_id}-e{i}", "stream_id": batch_id, "played_ms": 1}
        for i in range(BATCH - 1)
    ]
    events.append({"ts": now_ms - 60_000, "type": "stream_publish", "event_id": f"{batch_id}-pub",
                   "server_id": "edge", "stream_id": batch_id, "played_ms": 1})
    return events


class IngestClients:
    """``CLIENTS`` threads posting fresh batches until stopped; each remembers its outcome."""

    def __init__(self, url: str, ingest_key: str) -> None:
        self.url = url
        self.headers = {"Authorization": f"Bearer {ingest_key}"}
        self.sent: dict[str, list[dict[str, Any]]] = {}
        self.acked: set[str] = set()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._seq = 0
        self._threads: list[threading.Thread] = []

    def _next_id(self) -> str:
        with self._lock:
            self._seq += 1
            return f"b{self._seq:05d}"

    def post(self, client: httpx.Client, batch_id: str, events: list[dict[str, Any]]) -> bool:
        try:
            r = client.post("/v1/events", json=events, headers=self.headers)
        except httpx.HTTPError:
            return False
        body = r.json() if r.status_code == 200 else {}
        return r.status_code == 200 and body["accepted"] + body["duplicates"] == len(events) \
            and not body["rejected"]

    def _loop(self) -> None:
        with httpx.Client(base_url=self.url, timeout=10) as client:
            while not self._stop.is_set():
                batch_id = self._next_id()
                events = batch_events(batch_id, int(time.time() * 1000))
                with self._lock:
                    self.sent[batch_id] = events
                if self.post(client, batch_id, events):
                    with self._lock:
                        self.acked.add(batch_id)
                else:
                    time.sleep(0.05)  # the server is down: a real client backs off

    def start(self) -> None:
        self._stop.clear()
        self._threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(CLIENTS)]
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=30)

    def resend_unacknowledged(self) -> int:
        """What a real client does after a timeout: send the same batch again, until answered."""
        pending = sorted(set(self.sent) - self.acked)
        with httpx.Client(base_url=self.url, timeout=30) as client:
            for batch_id in pending:
                for _ in range(5):
                    if self.post(client, batch_id, self.sent[batch_id]):
                        self.acked.add(batch_id)
                        break
                    time.sleep(0.5)
        return len(pending)


def stored_per_batch(url: str, api_key: str) -> dict[str, int]:
    today = datetime.now(UTC).date()
    body = {"metrics": ["viewing_time_ms"], "dimensions": ["stream_id"],
            "date_range": [(today - timedelta(days=1)).isoformat(), (today + timedelta(days=1)).isoformat()],
            "limit": 10_000}
    r = httpx.post(url + "/v1/query", json=body, headers={"Authorization": f"Bearer {api_key}"}, timeout=60)
    r.raise_for_status()
    return {row["stream_id"]: int(row["viewing_time_ms"]) for row in r.json()["results"] if row["stream_id"]}


def backdate_schedule(data_dir: Path, schedule_id: str, days: int) -> None:
    """While the server is down: pretend the schedule was created ``days`` ago."""
    created = int((datetime.now(UTC) - timedelta(days=days)).timestamp() * 1000)
    with sqlite3.connect(data_dir / "meta.sqlite3") as db:
        db.execute("UPDATE report_schedules SET created_ms = ? WHERE id = ?", (created, schedule_id))


def published_streams(receiver: Receiver) -> set[str]:
    return {entry["stream"].split("/", 1)[1] for got in list(receiver) for entry in got.body.get("publish", [])}


def wait_until(predicate: Any, timeout: float) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return bool(predicate())


def run_crash_drill(data_dir: Path, rounds: int, seed: int = 73) -> CrashFigures:
    rng = random.Random(seed)
    figures = CrashFigures(rounds=rounds)
    started = time.time()
    serve = ServeProcess(data_dir, extra_env={"MEDIASTATS_PUSH_ALLOW_PRIVATE": "1"}).start()
    receiver = Receiver()
    try:
        with serve.admin() as admin:
            acct = admin.post("/admin/v1/accounts", json={"name": "crash"}).json()
        auth = {"Authorization": f"Bearer {acct['api_key']}"}
        with serve.client(headers=auth) as c:
            assert c.post("/v1/push/subscriptions", json={"url": receiver.url, "events": ["stream_publish"]}
                          ).status_code == 201
            r = c.post("/v1/report-schedules", json={"type": "viewershipAnalytics", "interval": "DAILY",
                                                      "params": {"customerId": "c", "timezone": "UTC"}})
            assert r.status_code == 201, r.text
            schedule_id = r.json()["scheduleId"]
        clients = IngestClients(serve.url, acct["ingest_key"])
        for n in range(rounds):
            clients.start()
            time.sleep(rng.uniform(0.1, 1.2))
            serve.kill(signal.SIGKILL)
            clients.stop()
            if n == 0:
                backdate_schedule(data_dir, schedule_id, days=3)
            in_flight = set(clients.sent) - clients.acked
            serve.start()
            stored = stored_per_batch(serve.url, acct["api_key"])
            figures.in_flight_partial += sum(1 for b in in_flight if stored.get(b, 0) not in (0, BATCH))
            figures.stored_unacknowledged |= {b for b in in_flight if stored.get(b, 0) == BATCH}
            figures.resent += clients.resend_unacknowledged()
        stored = stored_per_batch(serve.url, acct["api_key"])
        figures.batches = len(clients.sent)
        figures.acknowledged = len(clients.acked)
        figures.lost = sum(1 for b in clients.acked if stored.get(b, 0) < BATCH)
        figures.doubled = sum(1 for n in stored.values() if n > BATCH)
        figures.publish_expected = len(clients.acked)
        # A batch stored by a request that died before its triggers ran is acknowledged later
        # as duplicates; the push journal applies its triggers at the restart.
        wait_until(lambda: clients.acked <= published_streams(receiver), timeout=15)
        figures.publish_missing = sorted(clients.acked - published_streams(receiver))
        figures.publish_gap = len(figures.stored_unacknowledged - published_streams(receiver))

        def built() -> int:
            got = httpx.get(f"{serve.url}/v1/report-schedules/{schedule_id}", headers=auth, timeout=30)
            return len(got.json().get("reports", [])) if got.status_code == 200 else 0

        wait_until(lambda: built() >= 2, timeout=60)
        figures.reports_built = built()
    finally:
        serve.kill(signal.SIGTERM)
        receiver.close()
    figures.seconds = time.time() - started
    return figures
