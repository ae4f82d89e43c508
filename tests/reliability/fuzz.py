"""Schemathesis over the OpenAPI of every surface, against a live server, with each surface's
own credentials: zero 5xx, every error in its surface's shape.

The vendor query parameters are read from the request, not declared on the routes, so the
schema is patched here (never the routes) to declare them as optional strings: then the fuzzer
also generates them. Positive and negative (schema-violating) cases are both generated.

``fuzz(url, tenant, examples)`` runs ``examples`` cases per operation (Hypothesis, seeded) and
returns the figures; ``test_fuzz.py`` runs a small subset, ``make fuzz`` at least 10,000 cases.
"""

from __future__ import annotations

import copy
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed

from tests.reliability.surfaces import credentials, error_shape_problem, surface_of_path
from tests.reliability.tenants import Tenant

VENDOR_PARAMS: dict[str, tuple[str, ...]] = {
    "/wmspanel/v1/": ("from", "to", "data_slice", "server", "stream", "show_servers"),
    "/system73/": ("time", "source", "page", "per_page", "bitrate", "representation_id"),
    "/amagi/api/v2": ("type", "customerId", "channelId", "startDate", "endDate", "interval", "timezone",
                      "startTime", "endTime", "hoursLimit", "page", "limit", "country", "deviceType", "adTag"),
    "/v1/channels": ("since_days",), "/v1/servers": ("since_days",), "/v1/streams": ("since_days",),
}
# A few realistic values, so the fuzzer reaches the code behind the first check too.
HINTS: dict[str, list[str]] = {
    "time": ["live", "10m", "1h", "24h", "1w", "1M"], "source": ["cdn", "p2p"],
    "type": ["viewershipAnalytics", "contentAnalytics", "concurrentUsers", "adAnalytics", "adContentAnalytics",
             "uniqueViewersAnalytics", "channelList"],
    "interval": ["DAILY", "WEEKLY", "MONTHLY", "HOURLY"], "from": ["2026-11-01"], "to": ["2026-11-03"],
    "startDate": ["2026-11-01"], "endDate": ["2026-11-03"], "hoursLimit": ["1", "12", "24"],
    "timezone": ["UTC", "US/Pacific"],
}


@dataclass
class FuzzFigures:
    cases: int = 0
    by_surface: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    shape_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def patched_spec(spec: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(spec)
    for path, operations in spec["paths"].items():
        names = [n for prefix, ns in VENDOR_PARAMS.items() if path.startswith(prefix) for n in ns]
        for operation in operations.values():
            declared = {p["name"] for p in operation.get("parameters", [])}
            for name in names:
                if name not in declared:
                    schema: dict[str, Any] = {"type": "string"}
                    if name in HINTS:
                        schema = {"anyOf": [{"type": "string", "enum": HINTS[name]}, {"type": "string"}]}
                    operation.setdefault("parameters", []).append({"name": name, "in": "query", "schema": schema})
    return spec


def present_key(case: Any, surface: str, tenant: Tenant, rng: random.Random) -> None:
    """Put the tenant's key on the case, the way ``surface`` takes it (admin: the operator token)."""
    headers, params = credentials(surface, tenant.key)
    case.headers = {**(case.headers or {}), **headers}
    if params:
        case.query = {**(case.query or {}), **params}
    path_parameters = case.path_parameters or {}
    for name in ("customer_id", "account_id"):
        if name in path_parameters and rng.random() < 0.7:
            path_parameters[name] = tenant.key.account_id
    if "ingest_key" in path_parameters and rng.random() < 0.7:
        path_parameters["ingest_key"] = tenant.key.ingest_key
    if surface == "wmspanel" and rng.random() < 0.7:
        case.query["data_slice"] = tenant.full_slice


def fuzz(url: str, tenant: Tenant, examples: int, seed: int = 1302, operations: int | None = None) -> FuzzFigures:
    spec = httpx.get(url + "/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(patched_spec(spec))
    figures = FuzzFigures()
    rng = random.Random(seed)
    started = time.time()
    ops = [r.ok() for r in schema.get_all_operations()]
    if operations is not None:  # a seeded sample of operations (the fast subset)
        ops = rng.sample(ops, min(operations, len(ops)))
    with httpx.Client(base_url=url, timeout=60) as client:
        for op in ops:
            fuzz_operation(client, url, op, tenant, examples, seed, rng, figures)
    figures.seconds = time.time() - started
    return figures


def fuzz_operation(client: httpx.Client, url: str, op: Any, tenant: Tenant, examples: int, seed: int,
                   rng: random.Random, figures: FuzzFigures) -> None:
    surface = surface_of_path(op.path)

    @hypothesis_seed(seed)
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=case_strategy(op))
    def one(case: Any) -> None:
        present_key(case, surface, tenant, rng)
        kwargs = case.as_transport_kwargs(base_url=url)
        kwargs.pop("base_url", None)
        try:
            r = client.request(kwargs.pop("method"), kwargs.pop("url"), **_httpx_kwargs(kwargs))
        except (httpx.LocalProtocolError, httpx.InvalidURL, UnicodeEncodeError, ValueError, TypeError):
            return  # not sendable over HTTP
        except httpx.TransportError as exc:
            figures.server_errors.append(f"{op.label}: connection dropped ({exc}) {case.as_curl_command()}")
            return
        figures.cases += 1
        figures.by_surface[surface] += 1
        figures.statuses[r.status_code] += 1
        if r.status_code >= 500:
            figures.server_errors.append(f"{op.label}: {r.status_code} {r.text[:200]} {case.as_curl_command()}")
        elif r.status_code >= 400 and (problem := error_shape_problem(surface, r)):
            figures.shape_errors.append(f"{op.label}: {problem} {case.as_curl_command()}")

    one()


def case_strategy(op: Any) -> Any:
    """Cases that fit the schema and cases that break it (where the schema can be broken)."""
    positive = op.as_strategy(schemathesis.GenerationMode.POSITIVE)
    try:
        return positive | op.as_strategy(schemathesis.GenerationMode.NEGATIVE)
    except Exception:  # an operation with nothing to negate
        return positive


def _httpx_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Schemathesis' transport kwargs (requests-style) as httpx takes them."""
    out: dict[str, Any] = {}
    for name in ("headers", "params", "cookies"):
        if kwargs.get(name):
            out[name] = kwargs[name]
    if "json" in kwargs:
        out["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        out["content"] = data if isinstance(data, bytes | str) else None
        if out["content"] is None:
            out["data"] = data
    return out
