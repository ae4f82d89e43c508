"""Query results → WMSPanel's JSON (seed 000): only renaming keys and leaving out zeros.

A day entry is ``{"date": "YYYY-MM-DD", <key>: views, ...}``: players always carry ``Unknown``
and ``Flash``, devices ``Unknown`` (0 if none); any other key only when it is > 0; days without
views are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import orjson

from mediastats.meta.accounts import Slice
from mediastats.query import Result

DayEntry = dict[str, int | str]
UNKNOWN = "Unknown"
PLAYER_KEYS_ALWAYS = (UNKNOWN, "Flash")
DEVICE_KEYS_ALWAYS = (UNKNOWN,)


def _entry(day: str, always: Iterable[str], counts: dict[str, int]) -> DayEntry:
    entry: DayEntry = {"date": day}
    for key in always:
        entry[key] = counts.pop(key, 0)
    for key in sorted(counts):
        if counts[key] > 0:
            entry[key] = counts[key]
    return entry


def _counts(rows: Iterable[dict[str, Any]], dimension: str, metric: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        key = row[dimension] or UNKNOWN  # a view without a vocabulary value is an unknown one
        counts[key] = counts.get(key, 0) + int(row[metric])
    return counts


def days_of_views(result: Result, dimension: str, always: tuple[str, ...]) -> list[DayEntry]:
    """One entry per day that has views, oldest first, from views by day and ``dimension``."""
    by_day: dict[str, list[dict[str, Any]]] = {}
    for row in result.rows:
        if row["views"] > 0:
            by_day.setdefault(row["bucket"].date().isoformat(), []).append(row)
    return [_entry(day, always, _counts(rows, dimension, "views")) for day, rows in sorted(by_day.items())]


def live_day(result: Result, dimension: str, always: tuple[str, ...], today: date) -> list[DayEntry]:
    """The one entry of real-time stream stats: today, views active now by ``dimension``."""
    return [_entry(today.isoformat(), always, _counts(result.rows, dimension, "active_views"))]


def players_days(result: Result) -> list[DayEntry]:
    return days_of_views(result, "wms_player", PLAYER_KEYS_ALWAYS)


def devices_days(result: Result) -> list[DayEntry]:
    return days_of_views(result, "wms_device", DEVICE_KEYS_ALWAYS)


def server_ids(result: Result) -> list[str]:
    return sorted(str(row["server_id"]) for row in result.rows if row["server_id"])


def data_slice_entry(piece: Slice, servers: list[str] | None) -> dict[str, Any]:
    """``{"id", "name"}``, and ``server_ids`` when they were asked for (``show_servers``)."""
    entry: dict[str, Any] = {"id": piece.id, "name": piece.name}
    if servers is not None:
        entry["server_ids"] = servers
    return entry


def ok_body(**fields: Any) -> bytes:
    """A success body: ``{"status": "Ok", ...}``."""
    return orjson.dumps({"status": "Ok", **fields})
