"""Two tenants with data, slices, a user-specific key, a push subscription and a report schedule
each: the world the bad-input table and the isolation matrix run in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.reliability.surfaces import DAY, Key

HOUR_MS = 3_600_000


@dataclass
class Tenant:
    key: Key  # account-wide
    user: Key  # user-specific, limited to ``user_slice`` (channel ``<name>-news``)
    channel: str  # a channel outside the user key's slice
    full_slice: str
    user_slice: str
    schedule: str
    subscription: str
    name: str

    def ids(self) -> dict[str, str]:
        return {"channel": self.channel, "slice": self.full_slice, "schedule": self.schedule,
                "subscription": self.subscription}


def tenant_events(name: str) -> list[dict[str, Any]]:
    """Views on two channels of ``name`` (its own server, streams and stream URIs) on DAY."""
    start = int(datetime.fromisoformat(DAY).replace(tzinfo=UTC).timestamp() * 1000) + 10 * HOUR_MS
    events: list[dict[str, Any]] = []
    for i, channel in enumerate((f"{name}-sports", f"{name}-news")):
        for s in range(2):
            common = {"session_id": f"{name}-{channel}-{s}", "channel_id": channel, "server_id": f"{name}-edge",
                      "stream_id": f"{name}-s{i}", "stream_uri": f"https://{name}.example/{i}.m3u8",
                      "viewer_id": f"{name}-v{s}", "user_agent": "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0"}
            events.append({**common, "ts": start + s * 1000, "type": "view_start"})
            events.append({**common, "ts": start + s * 1000 + 60_000, "type": "heartbeat", "played_ms": 60_000,
                           "bytes_cdn": 1000, "bytes_p2p": 500, "delivery": "p2p"})
            events.append({**common, "ts": start + s * 1000 + 61_000, "type": "ad_impression", "ad_tag": "pre"})
    return events


def make_tenant(base_url: str, admin_headers: dict[str, str], name: str) -> Tenant:
    with httpx.Client(base_url=base_url, timeout=30) as c:
        acct = c.post("/admin/v1/accounts", json={"name": name}, headers=admin_headers).json()
        aid = acct["id"]
        c.patch(f"/admin/v1/accounts/{aid}", json={"daily_api_limit": 10_000_000}, headers=admin_headers)
        full = c.get(f"/admin/v1/accounts/{aid}/data_slices", headers=admin_headers).json()
        full_slice = str((full["data_slices"] if isinstance(full, dict) else full)[0]["id"])
        user_slice = str(c.post(f"/admin/v1/accounts/{aid}/data_slices", headers=admin_headers,
                                json={"name": "news", "channels": [f"{name}-news"]}).json()["id"])
        user = c.post(f"/admin/v1/accounts/{aid}/keys", headers=admin_headers,
                      json={"name": "user", "data_slices": [user_slice]}).json()
        r = c.post("/v1/events", json=tenant_events(name), headers={"Authorization": f"Bearer {acct['ingest_key']}"})
        assert r.status_code == 200 and not r.json()["rejected"], r.text
        bearer = {"Authorization": f"Bearer {acct['api_key']}"}
        schedule = c.post("/v1/report-schedules", headers=bearer, json={
            "type": "viewershipAnalytics", "interval": "DAILY", "params": {"customerId": "c", "timezone": "UTC"}})
        assert schedule.status_code == 201, schedule.text
        sub = c.post("/v1/push/subscriptions", headers=bearer,
                     json={"url": f"http://127.0.0.1:9/{name}", "events": ["stream_publish"]})
        assert sub.status_code == 201, sub.text
    return Tenant(
        key=Key(aid, acct["client_id"], acct["api_key"], acct["ingest_key"]),
        user=Key(aid, user["client_id"], user["api_key"]),
        channel=f"{name}-sports", full_slice=full_slice, user_slice=user_slice,
        schedule=str(schedule.json()["scheduleId"]), subscription=str(sub.json()["id"]), name=name,
    )
