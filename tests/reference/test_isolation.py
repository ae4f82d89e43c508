"""Tenant isolation in the Query core: two accounts with interleaved data (the same session ids,
event ids, servers, channels and times), sent in alternating batches. For every metric, A's
scope returns exactly A's numbers (the model over A's events alone) and B's exactly B's; a
user-specific key's Scope sees only its slices and gets no Scope (403) for another slice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from mediastats.query import HOUR, METRICS, Query, Scope, SliceScope, TimeRange, run_sync
from mediastats.query.metrics import PEAK_AGGREGATES, PEAKABLE
from tests.conftest import ADMIN_TOKEN, Server
from tests.reference.events import batches
from tests.reference.grid import utc
from tests.reference.harness import assert_matches, ingest, new_account, wait_visible
from tests.reference.model import Model

TIME = TimeRange(utc(2026, 2, 14, 9), utc(2026, 2, 14, 11))
STARTS = (utc(2026, 2, 14, 8, 40), utc(2026, 2, 14, 11))
METRIC_NAMES = (*METRICS, *(f"{b}.{a}" for b in PEAKABLE for a in PEAK_AGGREGATES))


def _renamed(events: list[dict[str, Any]], old: str, new: str) -> list[dict[str, Any]]:
    """B's events under A's session and event ids: nothing but the account tells them apart."""
    out = []
    for e in events:
        e = dict(e)
        e["session_id"] = e["session_id"].replace(old, new)
        if "event_id" in e:
            e["event_id"] = e["event_id"].replace(old, new)
        out.append(e)
    return out


@dataclass(frozen=True)
class Tenants:
    server: Server
    a: dict[str, str]
    b: dict[str, str]
    model_a: Model
    model_b: Model


@pytest.fixture(scope="module")
def tenants(server: Server) -> Tenants:
    a, b = new_account(server, "tenant A"), new_account(server, "tenant B")
    sent_a = batches(71, STARTS, 10, 40).first
    sent_b = _renamed(batches(72, STARTS, 10, 40).first, "s72-", "s71-")
    # Alternating batches, each holding whole views (a view split over batches that arrive out
    # of order is test_edges' subject).
    for half in (0, 1):
        for key, sent in ((b["ingest_key"], sent_b), (a["ingest_key"], sent_a)):
            ingest(server, key, [e for e in sent if int(e["session_id"].rpartition("-")[2]) % 2 == half])
    model_a, model_b = Model(sent_a), Model(sent_b)
    wait_visible(server, a["id"], model_a)
    wait_visible(server, b["id"], model_b)
    return Tenants(server, a, b, model_a, model_b)


def _check(t: Tenants, scope: Scope, model: Model, name: str, **kw: Any) -> None:
    query = Query(scope=scope, metrics=(name,), time=TIME, **kw)
    assert_matches(run_sync(t.server.services.storage, query), model.rows(query), label=repr(query))


@pytest.mark.parametrize("name", METRIC_NAMES)
def test_each_account_sees_only_its_numbers(tenants: Tenants, name: str) -> None:
    t = tenants
    for account, model, other in ((t.a, t.model_a, t.model_b), (t.b, t.model_b, t.model_a)):
        query = Query(scope=Scope(account["id"]), metrics=(name,), time=TIME)
        mine, theirs = model.rows(query).get((), {}).get(name, 0.0), other.rows(query).get((), {}).get(name, 0.0)
        # The two data sets differ in this metric, so a leak could not hide.
        assert (mine, theirs) != (0.0, 0.0) or name.startswith(("ad_", "conversion"))
        _check(t, Scope(account["id"]), model, name)
        _check(t, Scope(account["id"]), model, name, bucket=HOUR, dimensions=("server_id",))


def _user_scope(t: Tenants, slice_body: dict[str, Any]) -> tuple[Scope, str, Callable[[str], Scope | None], str]:
    """A slice of A, the Scope of a user key limited to it, that key's Scope for any slice id,
    and the key."""
    with t.server.client(headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}) as c:
        made = c.post(f"/admin/v1/accounts/{t.a['id']}/data_slices", json=slice_body)
        assert made.status_code == 201, made.text
        slice_id = made.json()["id"]
        key = c.post(f"/admin/v1/accounts/{t.a['id']}/keys", json={"name": "user", "data_slices": [slice_id]})
        assert key.status_code == 201, key.text
    accounts = t.server.services.accounts
    access = accounts.by_secret(key.json()["api_key"])
    assert access is not None and access.is_user_key
    scope = accounts.scope(access)
    assert scope is not None

    def scope_for(wanted: str) -> Scope | None:
        return accounts.scope(access, wanted)

    return scope, slice_id, scope_for, key.json()["api_key"]


SLICE_BODIES: tuple[dict[str, Any], ...] = (
    {"name": "server one", "servers": ["srv-1"]},
    {"name": "sport", "channels": ["ch-sport"]},
    {"name": "srv-2 news", "servers": ["srv-2"], "channels": ["ch-news", "default"]},
)


@pytest.mark.parametrize("body", SLICE_BODIES, ids=[str(b["name"]) for b in SLICE_BODIES])
def test_a_user_key_sees_only_its_slice(tenants: Tenants, body: dict[str, Any]) -> None:
    t = tenants
    scope, slice_id, scope_for, _ = _user_scope(t, body)
    expected = (SliceScope(servers=tuple(body.get("servers", ())), channels=tuple(body.get("channels", ()))),)
    assert scope == Scope(t.a["id"], expected)
    assert scope_for(slice_id) == scope
    full = next(s.id for s in t.server.services.accounts.slices(t.a["id"]) if not s.servers and not s.channels)
    assert scope_for(full) is None  # another slice of the same account: 403
    b_slice = t.server.services.accounts.slices(t.b["id"])[0].id
    assert scope_for(b_slice) is None  # B's slice: 403
    for name in METRIC_NAMES:
        _check(t, scope, t.model_a, name, dimensions=("channel_id", "server_id"))
        _check(t, scope, t.model_a, name, bucket=HOUR)


def test_an_account_key_gets_no_scope_for_anothers_slice(tenants: Tenants) -> None:
    accounts = tenants.server.services.accounts
    access_b = accounts.by_secret(tenants.b["api_key"])
    assert access_b is not None and not access_b.is_user_key
    a_full = accounts.slices(tenants.a["id"])[0].id
    assert accounts.scope(access_b, a_full) is None
    assert accounts.scope(access_b) == Scope(tenants.b["id"])


def test_over_http_each_key_gets_its_own_totals(tenants: Tenants) -> None:
    """The native door with A's key, B's key and a slice key: the model's numbers for each."""
    t = tenants
    scope, _, _, user_key = _user_scope(t, {"name": "http srv-3", "servers": ["srv-3"]})
    assert scope.slices == (SliceScope(servers=("srv-3",)),)
    metrics = ["views", "unique_viewers", "active_views", "viewing_time_ms", "bytes_total", "ad_events"]
    body = {"metrics": metrics, "date_range": [TIME.start.isoformat(), TIME.end.isoformat()]}
    for key, model, q_scope in ((t.a["api_key"], t.model_a, Scope(t.a["id"])),
                                (t.b["api_key"], t.model_b, Scope(t.b["id"])),
                                (user_key, t.model_a, scope)):
        with t.server.client(headers={"Authorization": f"Bearer {key}"}) as c:
            r = c.post("/v1/query", json=body)
        assert r.status_code == 200, r.text
        expected = model.rows(Query(scope=q_scope, metrics=tuple(metrics), time=TIME)).get((), {})
        assert r.json()["results"] == [{m: int(expected.get(m, 0)) for m in metrics}]
