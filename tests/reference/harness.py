"""Helpers of the reference tests: a fresh account fed over HTTP, and the comparison of a Result
with the model's rows."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from typing import Any

from mediastats.query import Query, Result, Scope, TimeRange, run_sync
from tests.conftest import ADMIN_TOKEN, Server
from tests.reference.grid import bucket_starts
from tests.reference.model import Model, Rows

EVERYTHING = TimeRange(datetime(2000, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def new_account(server: Server, name: str) -> dict[str, str]:
    with server.client(headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}) as c:
        r = c.post("/admin/v1/accounts", json={"name": name})
    assert r.status_code == 201, r.text
    return dict(r.json())


def ingest(server: Server, ingest_key: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    with server.client(headers={"Authorization": f"Bearer {ingest_key}"}) as c:
        r = c.post("/v1/events", json=events)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert not body["rejected"], body["rejected"][:3]
    return body


def wait_visible(server: Server, account_id: str, model: Model) -> None:
    """Until the store holds every view the model expects (CONTRACT §3: within 1 s)."""
    query = Query(scope=Scope(account_id), metrics=("views",), time=EVERYTHING)
    deadline = time.monotonic() + 5
    while True:
        got = run_sync(server.services.storage, query).first()["views"]
        if got == len(model.store.views) or time.monotonic() > deadline:
            assert got == len(model.store.views)
            return
        time.sleep(0.05)


def result_rows(result: Result) -> Rows:
    q = result.query
    out: Rows = {}
    for row in result.rows:
        key = ((row["bucket_ms"],) if q.bucket is not None else ()) + tuple(row[d] for d in q.dimensions)
        assert key not in out, f"row {key} twice"
        out[key] = {m: float(row[m]) for m in q.metrics}
    return out


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def assert_matches(result: Result, expected: Rows, label: str = "") -> None:
    """The Result has the model's numbers, every bucket of the grid for each combination it lists,
    and, without a bucket, exactly the combinations with data."""
    q = result.query
    got = result_rows(result)
    wrong = []
    for key in sorted(set(got) | set(expected), key=str):
        for m in q.metrics:
            g, e = got.get(key, {}).get(m, 0.0), expected.get(key, {}).get(m, 0.0)
            if not close(g, e):
                wrong.append(f"{key} {m}: sql {g!r} model {e!r}")
    assert not wrong, f"{label} {len(wrong)} differences:\n" + "\n".join(wrong[:25])
    width = 1 if q.bucket is not None else 0
    combos = {key[width:] for key in got}
    assert {key[width:] for key in expected} <= combos
    if q.bucket is not None:
        edges = bucket_starts(q.bucket.unit, q.bucket.count, q.time.start, q.time.end, q.timezone)
        if q.fill:
            assert set(got) == {(b, *c) for b in edges[:-1] for c in combos}, f"{label} grid not filled"
    elif q.dimensions:
        assert set(got) == set(expected), f"{label} listing rows differ: {set(got) ^ set(expected)}"
    else:
        assert len(result.rows) == 1
