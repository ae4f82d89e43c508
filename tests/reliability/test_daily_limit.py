"""The daily limit stays exact under 50 concurrent clients (CONTRACT §2): exactly ``limit`` calls
are answered 2xx, every other one 429 in its surface's shape, and refused calls do not count."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.conftest import Account
from tests.reliability.surfaces import QUERY_CALLS, Key, error_shape_problem, send

LIMIT = 37
CLIENTS = 50


def test_limit_is_exact_under_50_concurrent_clients(account: Account) -> None:
    account.patch(daily_api_limit=LIMIT)
    key = Key(account.id, account.client_id, account.api_key)
    with account.server.admin() as admin:
        slice_id = str(admin.get(f"/admin/v1/accounts/{account.id}/data_slices").json()[0]["id"])
    calls = [c for c in QUERY_CALLS if "{channel}" not in c.path]

    def one(i: int) -> tuple[str, httpx.Response]:
        call = calls[i % len(calls)]
        with httpx.Client(base_url=account.server.url, timeout=60) as c:
            return call.surface, send(c, call, key, {"slice": slice_id})

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(pool.map(one, range(CLIENTS * 3)))
    ok = [r for _, r in answers if 200 <= r.status_code < 300]
    limited = [(s, r) for s, r in answers if r.status_code == 429]
    other = [(s, r.status_code, r.text[:100]) for s, r in answers if r.status_code != 429 and r.status_code >= 300]
    assert not other, other[:5]
    assert len(ok) == LIMIT
    assert len(limited) == len(answers) - LIMIT
    assert all(error_shape_problem(s, r) is None for s, r in limited)
    assert all(r.headers.get("X-RateLimit-Remaining") in (None, "0") for _, r in limited)
