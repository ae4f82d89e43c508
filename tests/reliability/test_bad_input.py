"""No input answers 5xx, and every error is in its surface's shape (``bad_input.py`` is the table).

``make test`` sends a fixed third of the cases (about 3,400, picked by a hash of each case, so every
surface, field and kind of bad value is still hit) and the first case of every path;
``make reliability`` sends all of them (``MEDIASTATS_BAD_INPUT=all``): at ~30 ms a case the whole
table takes over 5 minutes.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator

import httpx

from tests.conftest import Server
from tests.reliability.bad_input import all_cases
from tests.reliability.surfaces import Call, error_shape_problem, send
from tests.reliability.tenants import Tenant


def check_case(client: httpx.Client, call: Call, tenant: Tenant) -> str | None:
    """What is wrong with the answer to ``call`` (None: nothing), or None if the client refuses it."""
    for attempt in range(2):
        try:
            r = send(client, call, tenant.key, tenant.ids())
            break
        except (httpx.LocalProtocolError, httpx.InvalidURL, UnicodeEncodeError):
            return None  # not sendable over HTTP: no server sees it
        except httpx.TransportError as exc:  # dropped: after a 500 on the same connection, or a crash
            if attempt:
                return f"{call.name} {call.params} {str(call.body)[:120]} {call.raw!r:.60}: connection dropped ({exc})"
    if r.status_code >= 500:
        return f"{call.name} {call.params} {str(call.body)[:120]} {call.raw!r:.60}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400:
        problem = error_shape_problem(call.surface, r)
        if problem:
            return f"{call.name} {call.params} {str(call.body)[:120]}: {problem}"
    return None


def cases() -> Iterator[Call]:
    if os.environ.get("MEDIASTATS_BAD_INPUT") == "all":
        yield from all_cases()
        return
    seen: set[tuple[str, str, str]] = set()
    for call in all_cases():
        endpoint = (call.surface, call.method, call.path)
        if endpoint not in seen or zlib.crc32(repr(call).encode()) % 3 == 0:
            seen.add(endpoint)
            yield call


def test_no_5xx_and_every_error_in_its_shape(server: Server, tenants: tuple[Tenant, Tenant]) -> None:
    problems: list[str] = []
    count = 0
    with server.client() as client:
        for call in cases():
            count += 1
            if (problem := check_case(client, call, tenants[0])) is not None:
                problems.append(problem)
    assert count > 2000
    assert not problems, f"{len(problems)} of {count} cases:\n" + "\n".join(problems[:40])
