"""The bad-input table: every endpoint × each of its parameters × malformed values, plus bodies
that are not what the endpoint reads. Vendor query parameters are read from the request, not
declared in the OpenAPI schema, so schemathesis cannot reach them; this table does.

Each case is (call, key presented or None); the expectation for all of them is the same: no
5xx, and any error in its surface's shape (``surfaces.error_shape_problem``).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from tests.reliability.surfaces import MANAGEMENT_CALLS, QUERY_CALLS, Call

BAD_VALUES: tuple[str, ...] = (
    "", " ", "x" * 4000, "ünïcødé 😀 \u202e", "-1", "0", "NaN", "Infinity", "1e309", "9" * 40,
    "[]", '{"a": 1}', "' OR 1=1 --", "'; DROP TABLE events; --", "../../../../etc/passwd",
    "%00", "\x00", "\n\r", "2026-13-45", "2026-02-30T25:61:00Z", "true", "null", "{channel}",
)

BAD_JSON_VALUES: tuple[Any, ...] = (
    None, "", -1, 0, 2**70, -(2**70), 1.5e308, "NaN", [], {}, [[[[[]]]]], {"a": {"b": {"c": []}}},
    "x" * 4000, "' OR 1=1 --", ["views", None, 3], [["channel_id", "eq"]], True, "ünïcødé 😀",
)

BAD_BODIES: tuple[bytes, ...] = (
    b"", b"not json", b"{", b"[", b"null", b"42", b'"a string"', b"[1, 2, 3]", b"{}" * 1000,
    b"[" * 5000 + b"]" * 5000, b"\xff\xfe\x00garbage", b'{"a": NaN}', b'{"from": 1e999}',
)

# Vendor parameters each call may read, beyond those in its base params.
EXTRA_PARAMS: dict[str, tuple[str, ...]] = {
    "wmspanel": ("from", "to", "data_slice", "server", "stream", "show_servers", "client_id"),
    "system73": ("time", "source", "page", "per_page", "bitrate", "representation_id", "from", "to"),
    "amagi": ("type", "customerId", "channelId", "startDate", "endDate", "interval", "timezone", "startTime",
              "endTime", "hoursLimit", "page", "limit", "country", "city", "deviceType", "deviceName",
              "contentId", "adTag"),
    "native": ("since_days",),
    "push": ("limit", "status", "subscription_id"),
}
STREAMROOT_FIELDS = ("since", "from", "to", "interval", "contentType", "content", "platform")
NATIVE_QUERY_FIELDS = ("metrics", "dimensions", "date_range", "interval", "timezone", "filters", "order_by",
                       "limit", "page", "source", "unknown_field")


def param_cases(call: Call) -> Iterator[Call]:
    names = dict.fromkeys((*call.params, *EXTRA_PARAMS.get(call.surface, ())))
    if call.method == "GET":
        for name in names:
            for value in BAD_VALUES:
                yield call.with_param(name, value)
    if isinstance(call.body, dict):
        fields = STREAMROOT_FIELDS if call.surface == "streamroot" else NATIVE_QUERY_FIELDS
        for name in fields:
            for value in (*BAD_JSON_VALUES, *BAD_VALUES[:12]):
                yield call.with_field(name, value)
    if call.method == "POST":
        for raw in BAD_BODIES:
            yield replace(call, raw=raw, headers={"content-type": "application/json"})


def path_cases() -> Iterator[Call]:
    """Bad ids and unknown paths, in every surface's namespace."""
    for value in ("nope", "..%2F..%2Fetc%2Fpasswd", "%00", "x" * 300, "' OR 1=1 --", "😀"):
        yield Call("system73", "GET", f"/system73/channels/{value}/summary", params={"time": "1h"})
        yield Call("system73", "GET", f"/system73/channels/{value}/streams/{value}/stats/os", params={"time": "1h"})
        yield Call("streamroot", "POST", f"/streamroot/v3/customers/{value}/dna/data/audience", body={})
        yield Call("amagi", "GET", f"/amagi/api/v1/download-reports/{value}/{value}")
        yield Call("reports", "GET", f"/v1/report-schedules/{value}")
        yield Call("reports", "GET", f"/v1/report-schedules/{{schedule}}/reports/{value}")
        yield Call("push", "GET", f"/v1/push/subscriptions/{value}")
        yield Call("push", "DELETE", f"/v1/push/subscriptions/{value}")
        yield Call("admin", "GET", f"/admin/v1/accounts/{value}")
        yield Call("admin", "PATCH", f"/admin/v1/accounts/{value}", body={"daily_api_limit": 5})
        yield Call("wmspanel", "GET", f"/wmspanel/v1/{value}")
        yield Call("dashboard", "GET", f"/dashboard/api/{value}")
    yield Call("system73", "POST", "/system73/summary", params={"time": "1h"})
    yield Call("streamroot", "GET", "/streamroot/v3/customers/{account}/dna/data/audience")
    yield Call("wmspanel", "POST", "/wmspanel/v1/players_stats")


def management_cases() -> Iterator[Call]:
    """Admin, push, reports and dashboard bodies with a bad value in each field."""
    bodies = {
        ("admin", "/admin/v1/accounts", "POST"): {"name": "n"},
        ("admin", "/admin/v1/accounts/{account}", "PATCH"): {"ip_whitelist": ["10.0.0.0/8"], "daily_api_limit": 5,
                                                               "server_offline_after_s": 60},
        ("admin", "/admin/v1/accounts/{account}/data_slices", "POST"): {"name": "s", "servers": ["a"],
                                                                         "channels": ["b"]},
        ("admin", "/admin/v1/accounts/{account}/keys", "POST"): {"name": "k", "data_slices": ["{slice}"]},
        ("push", "/v1/push/subscriptions", "POST"): {"url": "http://127.0.0.1:9/h", "events": ["stream_publish"],
                                                     "token": "t"},
        ("reports", "/v1/report-schedules", "POST"): {"type": "viewershipAnalytics", "interval": "DAILY",
                                                      "params": {"customerId": "c"}},
        ("dashboard", "/dashboard/session", "POST"): {"api_key": "k"},
    }
    for (surface, path, method), body in bodies.items():
        base = Call(surface, method, path, body=body)
        for name in body:
            for value in BAD_JSON_VALUES:
                yield base.with_field(name, value)
        for raw in BAD_BODIES:
            yield replace(base, raw=raw, headers={"content-type": "application/json"})
    for url in ("file:///etc/passwd", "gopher://x", "http://", "http://[::1", "javascript:alert(1)",
                "http://user@:80", "ftp://example.com/", "http://example.invalid:99999/"):
        yield Call("push", "POST", "/v1/push/subscriptions", body={"url": url, "events": ["stream_publish"]})
    yield Call("admin", "POST", "/admin/v1/push/daily-stats/run", params={"date": "2026-99-99"})
    yield Call("admin", "POST", "/admin/v1/push/daily-stats/run", params={"date": "x" * 500})


def ingest_cases() -> Iterator[Call]:
    """Bodies and events that ingestion must refuse (400/413) or reject one by one (200)."""
    events = "/v1/events"
    for raw in BAD_BODIES:
        yield Call("ingest", "POST", events, raw=raw, headers={"content-type": "application/json"})
        yield Call("ingest", "POST", events, raw=raw, headers={"content-type": "application/x-ndjson"})
    yield Call("ingest", "POST", events, raw=b"\x1f\x8b not gzip", headers={"content-encoding": "gzip"})
    yield Call("ingest", "POST", events, raw=gzip.compress(b"[" * 100), headers={"content-encoding": "gzip"})
    yield Call("ingest", "POST", events, raw=b"[]", headers={"content-encoding": "br"})
    base = {"ts": "2026-11-02T10:00:00Z", "type": "heartbeat", "session_id": "s"}
    for name in ("ts", "type", "session_id", "event_id", "played_ms", "buffer_ms", "bitrate_kbps", "delivery",
                 "content_type", "ip", "user_agent", "channel_id", "bytes_cdn", "request_rtt_ms"):
        for value in BAD_JSON_VALUES:
            yield Call("ingest", "POST", events, body=[{**base, name: value}])
    cmcd = "/v1/cmcd/{ingest_key}"
    for raw in (b"", b"sid=", b'sid="s",br=-1', b"\xff\xfe", b"a" * 5000, b'sid="' + b"x" * 5000 + b'"'):
        yield Call("ingest", "POST", cmcd, raw=raw, headers={"content-type": "application/cmcd"})
    for value in BAD_VALUES:
        yield Call("ingest", "GET", cmcd, params={"CMCD": value})
        yield Call("ingest", "GET", cmcd, headers={"CMCD-Session": value.encode("utf-8", "ignore")
                                                  .decode("latin-1").replace("\n", "").replace("\r", "")})


def all_cases() -> Iterator[Call]:
    for call in (*QUERY_CALLS, *MANAGEMENT_CALLS):
        yield from param_cases(call)
    yield from path_cases()
    yield from management_cases()
    yield from ingest_cases()
