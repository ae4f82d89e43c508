"""The calls bench/scale.py times: every vendor surface (the set bench/endpoints.py has, plus
WMSPanel daily stats and Amagi) and the dashboard's native queries, over realistic windows.

Fixed-date windows end today (UTC) and include it: WMSPanel caches answers whose days are all
closed, and a window that includes today measures the query, not the cache. System73 and Amagi's
``concurrentUsers`` only have now-relative windows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

WINDOW_DAYS = (1, 7, 30, 90)
S73_WINDOWS = ("24h", "1w", "1M")
S73_PATHS = ("summary", "stats/throughput/agg", "stats/os", "stats/rebuffering/ratio", "stats/buffer_health/avg")
STREAMROOT_PATHS = ("audience", "audience/timeseries", "traffic", "traffic/timeseries", "bandwidth",
                    "bandwidth/timeseries", "buffering", "buffering/timeseries", "platforms", "streams")
AMAGI_TYPES = ("viewershipAnalytics", "contentAnalytics", "adAnalytics", "uniqueViewersAnalytics")
DASHBOARD_SUMMARY = ["views", "unique_viewers", "viewing_time_ms", "rebuffering_ratio", "bytes_cdn", "bytes_p2p"]
DASHBOARD_SERIES = ["views", "unique_viewers", "viewing_time_ms", "rebuffering_ratio", "bandwidth_cdn_bps",
                    "bandwidth_p2p_bps"]
DASHBOARD_TABLE = ["views", "unique_viewers", "viewing_time_ms", "rebuffering_ratio", "bytes_total"]
DASHBOARD_TABS = ("channel_id", "player", "country")


@dataclass(frozen=True)
class Call:
    """One HTTP request of the bench, named for the table."""

    name: str
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None

    def request_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {"params": self.params, "headers": self.headers}
        if self.json is not None:
            args["json"] = self.json
        return args


def _dates(today: date, days: int) -> tuple[str, str]:
    return (today - timedelta(days=days - 1)).isoformat(), today.isoformat()


def vendor_calls(account: dict[str, str], today: date, windows: tuple[int, ...] = WINDOW_DAYS) -> list[Call]:
    key = account["api_key"]
    wms = {"client_id": account["client_id"], "api_key": key}
    s73 = {"Authorization": key}
    sr = {"Authorization": f"API-Key {key}"}
    amagi = {"x-access-token": key}
    calls: list[Call] = []
    for days in windows:
        start, end = _dates(today, days)
        for name in ("players_stats", "devices_stats", "daily_stats"):
            calls.append(Call(f"wmspanel {name} {days}d", "GET", f"/wmspanel/v1/{name}",
                              {**wms, "from": start, "to": end}))
    for window in S73_WINDOWS:
        for path in S73_PATHS:
            source = {"source": "cdn"} if "throughput" in path or "buffer_health" in path else {}
            calls.append(Call(f"system73 {path} {window}", "GET", f"/system73/{path}",
                              {"time": window, **source}, s73))
    base = f"/streamroot/v3/customers/{account['id']}/dna/data"
    for days in windows:
        start, end = _dates(today, days)
        for path in STREAMROOT_PATHS:
            calls.append(Call(f"streamroot {path} {days}d", "POST", f"{base}/{path}", headers=sr,
                              json={"from": start, "to": end}))
    for days in windows:
        start, end = _dates(today, days)
        for kind in AMAGI_TYPES:
            calls.append(Call(f"amagi {kind} {days}d", "GET", "/amagi/api/v2",
                              {"type": kind, "customerId": account["id"], "startDate": start, "endDate": end,
                               "interval": "DAILY", "timezone": "UTC"}, amagi))
    calls.append(Call("amagi concurrentUsers 24h", "GET", "/amagi/api/v2",
                      {"type": "concurrentUsers", "customerId": account["id"], "hoursLimit": "24"}, amagi))
    return calls


def dashboard_calls(account: dict[str, str], today: date, windows: tuple[int, ...] = WINDOW_DAYS) -> list[Call]:
    """What the overview page asks /v1/query for (overview.js, breakdown.js, live.js)."""
    auth = {"Authorization": f"Bearer {account['api_key']}"}
    calls = [Call("dashboard live 30m", "POST", "/v1/query", headers=auth,
                  json={"metrics": ["active_views"], "since": "30m", "interval": "minute"})]
    for days in windows:
        span = list(_dates(today, days))
        interval = "hour" if days <= 3 else "day"
        calls.append(Call(f"dashboard summary {days}d", "POST", "/v1/query", headers=auth,
                          json={"metrics": DASHBOARD_SUMMARY, "date_range": span}))
        calls.append(Call(f"dashboard series {days}d", "POST", "/v1/query", headers=auth,
                          json={"metrics": DASHBOARD_SERIES, "date_range": span, "interval": interval}))
        for dimension in DASHBOARD_TABS:
            calls.append(Call(f"dashboard by {dimension} {days}d", "POST", "/v1/query", headers=auth,
                              json={"metrics": DASHBOARD_TABLE, "dimensions": [dimension], "date_range": span,
                                    "order_by": [["views", "desc"]], "limit": 500}))
    return calls
