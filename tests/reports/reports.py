"""Report test helpers: schedules through the native API, downloads through Amagi's v1 path."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from tests.conftest import Account


def create(account: Account, type: str = "viewershipAnalytics", interval: str = "DAILY",
           params: dict[str, Any] | None = None, key: str | None = None) -> httpx.Response:
    body = {"type": type, "interval": interval, "params": params or {}}
    with account.server.client() as c:
        return c.post("/v1/report-schedules", json=body,
                      headers={"Authorization": f"Bearer {key or account.api_key}"})


def schedule_id(account: Account, **kw: Any) -> str:
    r = create(account, **kw)
    assert r.status_code == 201, r.text
    return str(r.json()["scheduleId"])


def download(account: Account, sid: str, from_date: str, token: str | None = None) -> httpx.Response:
    with account.server.client() as c:
        return c.get(f"/amagi/api/v1/download-reports/{sid}/{from_date}",
                     headers={"x-access-token": token or account.api_key})


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


def as_text(row: dict[str, Any]) -> dict[str, str]:
    """An API row as the csv module reads it back: every value a string."""
    return {k: str(v) for k, v in row.items()}


def delete(account: Account, sid: str, key: str | None = None) -> httpx.Response:
    with account.server.client() as c:
        return c.delete(f"/v1/report-schedules/{sid}", headers={"Authorization": f"Bearer {key or account.api_key}"})
