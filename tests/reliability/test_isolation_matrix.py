"""Tenant isolation matrix: every endpoint of every surface, called with each credential (A's
account key, A's user-specific key, B's account key, B's user key) against each tenant's ids.

Two checks find a leak whatever the surface prints:
- text: no answer names what the caller may not see (the other tenant's account, slices,
  channels, streams, servers, schedules, subscriptions; for a user key, its own tenant's
  channel outside its slice);
- numbers: a call naming ids the caller may not see answers exactly as the same call naming
  ids that exist nowhere (ids replaced by ``zz…``), so no count of the other's data shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from tests.conftest import Server
from tests.reliability.surfaces import MANAGEMENT_CALLS, QUERY_CALLS, Call, Key, send
from tests.reliability.tenants import Tenant

PINNED_NOW = datetime(2026, 11, 2, 23, 0, tzinfo=UTC)  # live windows (24h, 1w) hold the data


def forbidden_words(caller: Tenant, other: Tenant, user: bool) -> list[str]:
    words = [other.name, other.key.account_id, other.key.api_key, other.schedule, other.subscription]
    if user:  # the user key sees only the news channel of its own tenant
        words += [caller.channel, f"{caller.name}-s0", f"https://{caller.name}.example/0.m3u8",
                  caller.schedule, caller.subscription, caller.key.api_key]
    return words


def callers(a: Tenant, b: Tenant) -> Iterator[tuple[str, Tenant, Tenant, Key, bool]]:
    """(label, caller's tenant, other tenant, key, is a user key)."""
    for mine, other, tag in ((a, b, "A"), (b, a, "B")):
        yield f"{tag} account key", mine, other, mine.key, False
        yield f"{tag} user key", mine, other, mine.user, True


def nowhere(tenant: Tenant) -> dict[str, str]:
    return {name: "zz" + value[2:] for name, value in tenant.ids().items()}


def normalized(response: httpx.Response, ids: dict[str, str]) -> tuple[int, str]:
    text = response.text
    for value in sorted(ids.values(), key=len, reverse=True):
        text = text.replace(value, "<id>")
    return response.status_code, text


def probe_ids(caller: Tenant, other: Tenant, user: bool) -> list[dict[str, str]]:
    """The id sets the caller may not see: the other tenant's, and (user key) its own outside its slice."""
    sets = [other.ids()]
    if user:
        sets.append({**caller.ids(), "slice": caller.full_slice})
    return sets


@pytest.fixture
def pinned(server: Server) -> Iterator[None]:
    server.clock.set(PINNED_NOW)
    yield
    server.clock.reset()


def test_no_call_leaks_across_tenants_or_slices(server: Server, tenants: tuple[Tenant, Tenant], pinned: None) -> None:
    a, b = tenants
    leaks: list[str] = []
    calls = (*QUERY_CALLS, *MANAGEMENT_CALLS)
    with server.client() as client:
        for label, mine, other, key, user in callers(a, b):
            words = forbidden_words(mine, other, user)
            own = {**mine.ids(), "slice": mine.user_slice if user else mine.full_slice,
                   "channel": f"{mine.name}-news" if user else mine.channel}
            for call in calls:
                answers = [(own, send(client, call, key, own))]
                for ids in probe_ids(mine, other, user):
                    probe, control = send(client, call, key, ids), send(client, call, key, nowhere(mine))
                    answers.append((ids, probe))
                    if probe.status_code < 300 and normalized(probe, ids) != normalized(control, nowhere(mine)):
                        leaks.append(f"{label} {call.name} with {ids}: answers differ from unknown ids: "
                                     f"{probe.text[:200]} vs {control.text[:200]}")
                for ids, r in answers:
                    assert r.status_code < 500, (label, call.name, r.text[:300])
                    echoed = normalized(r, ids)[1]  # an error may name the id the caller sent
                    found = [w for w in words if w and w in echoed]
                    if found:
                        leaks.append(f"{label} {call.name} with {ids}: shows {found}: {r.text[:200]}")
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(leaks[:30])


def test_own_key_sees_own_data(server: Server, tenants: tuple[Tenant, Tenant], pinned: None) -> None:
    """The control of the matrix: the same calls do show the caller's own data (else the
    checks above prove nothing)."""
    a, _ = tenants
    with server.client() as client:
        shown = {call.name for call in QUERY_CALLS
                 if a.channel in send(client, call, a.key, a.ids()).text
                 or f"{a.name}-s0" in send(client, call, a.key, a.ids()).text}
        body = {"metrics": ["viewing_time_ms"], "date_range": ["2026-11-02", "2026-11-02"]}
        full = send(client, Call("native", "POST", "/v1/query", body=body), a.key).json()["results"][0]
        news = send(client, Call("native", "POST", "/v1/query", body=body), a.user).json()["results"][0]
    assert "native POST /v1/query" in shown and "wmspanel GET /wmspanel/v1/data_slices" not in shown
    assert len(shown) >= 5, shown
    assert full["viewing_time_ms"] == 4 * 60_000 and news["viewing_time_ms"] == 2 * 60_000


def test_dashboard_session_sees_only_its_key(server: Server, tenants: tuple[Tenant, Tenant]) -> None:
    a, b = tenants
    for key, other in ((a.user, a), (b.key, a)):
        with server.client() as c:
            assert c.post("/dashboard/session", json={"api_key": key.api_key}).status_code == 200
            headers = {"X-Requested-With": "mediastats"}
            for path in ("/dashboard/session", "/dashboard/api/v1/push/subscriptions",
                         "/dashboard/api/v1/push/deliveries", "/v1/report-schedules"):
                r = c.get(path, headers=headers)
                assert r.status_code == 200, (path, r.text)
                assert other.subscription not in r.text and other.schedule not in r.text, (path, r.text)
            r = c.post("/v1/query", headers=headers,
                       json={"metrics": ["views"], "dimensions": ["channel_id"], "date_range": ["2026-11-02"] * 2})
            assert other.channel not in r.text, r.text
