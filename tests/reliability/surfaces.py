"""Every door of the server as data: how a key is presented on it, what its errors look like, and
one well-formed call per endpoint (the base the bad-input table and the isolation matrix vary).

    surface      key                                          error body
    native       Authorization: Bearer <api_key>              {"error": {"status", "message"}}
    admin        Authorization: Bearer <admin token>          {"error": {"status", "message"}}
    push         Authorization: Bearer <api_key>              {"error": {"status", "message"}}
    reports      Authorization: Bearer <api_key>              {"error": {"status", "message"}}
    dashboard    session cookie                               {"error": {"status", "message"}}
    wmspanel     ?client_id=&api_key=                         {"status": "Error", "message"}
    system73     Authorization: <api_key>                     {"error": str}
    amagi        x-access-token: <api_key>                    {"statusCode", "error", "message"}
    streamroot   Authorization: API-Key <api_key>             {"message": str}
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from tests.conftest import ADMIN_TOKEN

DAY = "2026-11-02"
NEXT_DAY = "2026-11-03"


@dataclass(frozen=True)
class Key:
    """One credential: the account it belongs to and the key's parts."""

    account_id: str
    client_id: str
    api_key: str
    ingest_key: str = ""


@dataclass(frozen=True)
class Call:
    surface: str
    method: str
    path: str  # may hold {account}, {channel}, {slice}, {schedule}, {subscription}, {ingest_key}
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    raw: bytes | None = None  # a body sent as is (bad-input cases), instead of ``body``
    headers: dict[str, str] = field(default_factory=dict)

    def with_param(self, name: str, value: str) -> Call:
        return replace(self, params={**self.params, name: value})

    def with_field(self, name: str, value: Any) -> Call:
        assert isinstance(self.body, dict)
        return replace(self, body={**self.body, name: value})

    @property
    def name(self) -> str:
        return f"{self.surface} {self.method} {self.path}"


def credentials(surface: str, key: Key) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, query params) that present ``key`` on ``surface``."""
    if surface == "admin":
        return {"Authorization": f"Bearer {ADMIN_TOKEN}"}, {}
    if surface == "ingest":
        return {"Authorization": f"Bearer {key.ingest_key}"}, {}
    if surface == "wmspanel":
        return {}, {"client_id": key.client_id, "api_key": key.api_key}
    if surface == "system73":
        return {"Authorization": key.api_key}, {}
    if surface == "amagi":
        return {"x-access-token": key.api_key}, {}
    if surface == "streamroot":
        return {"Authorization": f"API-Key {key.api_key}"}, {}
    return {"Authorization": f"Bearer {key.api_key}"}, {}


def send(client: httpx.Client, call: Call, key: Key | None, ids: dict[str, str] | None = None) -> httpx.Response:
    """Make ``call`` with ``key`` (None: no credentials); ``ids`` fill the path placeholders."""
    headers, params = credentials(call.surface, key) if key is not None else ({}, {})
    fill = {"account": key.account_id if key else "none", "ingest_key": key.ingest_key if key else "none",
            **(ids or {})}
    path, query = fill_ids(call.path, fill), {k: fill_ids(v, fill) for k, v in call.params.items()}
    content = call.raw if call.raw is not None else None
    return client.request(
        call.method, path, params={**query, **params}, headers={**headers, **call.headers},
        json=call.body if content is None and call.body is not None else None, content=content,
    )


def fill_ids(text: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        text = text.replace("{" + name + "}", value)
    return text


def error_shape_problem(surface: str, response: httpx.Response) -> str | None:
    """None if the error answer is in ``surface``'s shape, else what is wrong with it."""
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {response.text[:200]!r}"
    status = response.status_code
    if surface == "wmspanel":
        ok = isinstance(body, dict) and body.get("status") == "Error" and isinstance(body.get("message"), str)
    elif surface == "system73":
        ok = isinstance(body, dict) and set(body) == {"error"} and isinstance(body["error"], str)
    elif surface == "amagi":
        ok = isinstance(body, dict) and body.get("statusCode") == status and isinstance(body.get("error"), str) \
            and isinstance(body.get("message"), str)
    elif surface == "streamroot":
        ok = isinstance(body, dict) and isinstance(body.get("message"), str)
    else:  # native, ingest, admin, push, reports, dashboard
        error = body.get("error") if isinstance(body, dict) else None
        ok = isinstance(error, dict) and error.get("status") == status and isinstance(error.get("message"), str)
    return None if ok else f"{status} body not in the {surface} shape: {body!r:.300}"


def surface_of_path(path: str) -> str:
    for prefix, surface in (("/wmspanel", "wmspanel"), ("/system73", "system73"), ("/amagi", "amagi"),
                            ("/streamroot", "streamroot"), ("/admin", "admin"), ("/v1/push", "push"),
                            ("/v1/report-schedules", "reports"), ("/v1/events", "ingest"), ("/v1/cmcd", "ingest"),
                            ("/dashboard", "dashboard")):
        if path.startswith(prefix):
            return surface
    return "native"


_WMS = {"from": DAY, "to": NEXT_DAY, "data_slice": "{slice}"}
_S73 = {"time": "24h"}
_AMAGI = {"customerId": "c", "startDate": DAY, "endDate": NEXT_DAY, "timezone": "UTC"}
_SR = {"from": DAY, "to": NEXT_DAY}
SR_BASE = "/streamroot/v3/customers/{account}/dna/data"
SR_ENDPOINTS = ("audience", "audience/timeseries", "traffic", "traffic/timeseries", "bandwidth",
                "bandwidth/timeseries", "buffering", "buffering/timeseries", "platforms", "streams")
S73_STATS = ("/stats/throughput/agg", "/stats/buffer_health/avg", "/stats/rebuffering/ratio", "/stats/os",
             "/stats/platforms", "/stats/connection_types", "/stats/dropped_frames/avg")
AMAGI_TYPES = ("viewershipAnalytics", "contentAnalytics", "adAnalytics", "adContentAnalytics",
               "uniqueViewersAnalytics")

QUERY_CALLS: tuple[Call, ...] = (
    # native
    Call("native", "POST", "/v1/query", body={"metrics": ["views", "viewing_time_ms"], "dimensions": ["channel_id"],
                                              "date_range": [DAY, NEXT_DAY], "interval": "day"}),
    Call("native", "GET", "/v1/channels"),
    Call("native", "GET", "/v1/servers"),
    Call("native", "GET", "/v1/streams", params={"since_days": "30"}),
    # WMSPanel
    Call("wmspanel", "GET", "/wmspanel/v1/data_slices", params={"show_servers": "true"}),
    Call("wmspanel", "GET", "/wmspanel/v1/players_stats", params=_WMS),
    Call("wmspanel", "GET", "/wmspanel/v1/devices_stats", params={**_WMS, "server": "edge"}),
    Call("wmspanel", "GET", "/wmspanel/v1/daily_stats", params=_WMS),
    # System73: account, channel and stream levels
    Call("system73", "GET", "/system73/summary", params=_S73),
    Call("system73", "GET", "/system73/summary/agg", params=_S73),
    *(Call("system73", "GET", f"/system73{p}", params={**_S73, "source": "p2p"}) for p in S73_STATS),
    Call("system73", "GET", "/system73/channels/{channel}/summary", params=_S73),
    Call("system73", "GET", "/system73/channels/{channel}/stats/os/last_point", params=_S73),
    Call("system73", "GET", "/system73/channels/{channel}/streams/s1/summary", params=_S73),
    Call("system73", "GET", "/system73/channels/{channel}/streams/s1/stats/platforms", params=_S73),
    # Amagi
    *(Call("amagi", "GET", "/amagi/api/v2", params={**_AMAGI, "type": t, "interval": "DAILY"}) for t in AMAGI_TYPES),
    Call("amagi", "GET", "/amagi/api/v2", params={"type": "concurrentUsers", "customerId": "c", "hoursLimit": "1"}),
    Call("amagi", "GET", "/amagi/api/v2", params={"type": "channelList"}),
    # Streamroot
    *(Call("streamroot", "POST", f"{SR_BASE}/{e}", body=_SR) for e in SR_ENDPOINTS),
)

MANAGEMENT_CALLS: tuple[Call, ...] = (
    Call("push", "GET", "/v1/push/subscriptions"),
    Call("push", "GET", "/v1/push/subscriptions/{subscription}"),
    Call("push", "GET", "/v1/push/deliveries", params={"limit": "10"}),
    Call("reports", "GET", "/v1/report-schedules"),
    Call("reports", "GET", "/v1/report-schedules/{schedule}"),
    Call("reports", "GET", "/v1/report-schedules/{schedule}/reports/" + DAY),
    Call("amagi", "GET", "/amagi/api/v1/download-reports/{schedule}/" + DAY),
)
