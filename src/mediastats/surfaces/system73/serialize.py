"""Query results → System73's JSON (seed 002): renaming keys, kbps / seconds, rounding.

Units: throughput in kbps, viewing time in whole seconds (``total_pretty_viewing_time`` is
``H:MM:SS``), buffer health and response times in ms, ``datetime`` the point's start in epoch ms.
Quantities the seed prints as integers (kbps, ms, seconds, device counts) are whole numbers;
ratios and per-sample averages below one (rebuffering ratio, buffer filling rate, dropped
frames) keep 2 decimals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from mediastats.query import Result
from mediastats.surfaces.system73.catalog import Stat
from mediastats.surfaces.system73.translate import Page

Row = dict[str, Any]
DELIVERIES = ("cdn", "p2p", "not_compatible")
UNKNOWN = "UNKNOWN"
EMPTY_PAGE: list[Row] = [{"total_pages": 0, "page": 0, "results": []}]


def rounded(value: float, digits: int) -> float | int:
    """Half up (values are never negative); whole numbers when ``digits`` is 0."""
    if digits == 0:
        return math.floor(value + 0.5)
    return round(value, digits)


def whole_seconds(ms: float) -> int:
    return math.floor(ms / 1000 + 0.5)


def pretty_duration(seconds: int) -> str:
    """``H:MM:SS``, hours unbounded (``0:00:55``, ``26:03:07``)."""
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def entity_fields(row: Mapping[str, Any], dims: Sequence[str]) -> Row:
    """The vendor's names for a summary row's entity: channel, stream or rendition."""
    out: Row = {}
    for name in dims:
        if name == "bitrate_kbps":
            out["bitrate"] = str(row[name])
        else:
            out[name] = str(row[name])
    return out


def by_delivery(result: Result, dims: Sequence[str]) -> dict[tuple[Any, ...], dict[str, Row]]:
    """Per-delivery rows of a summary, looked up by entity."""
    index: dict[tuple[Any, ...], dict[str, Row]] = {}
    for row in result.rows:
        index.setdefault(tuple(row[d] for d in dims), {})[str(row["delivery"])] = row
    return index


def summary_fields(total: Mapping[str, Any], deliveries: Mapping[str, Row], pretty: bool) -> Row:
    def part(delivery: str, name: str) -> Any:
        return deliveries.get(delivery, {}).get(name, 0)

    viewing = whole_seconds(total["viewing_time_ms"])
    fields: Row = {
        "cdn_throughput": rounded(total["bandwidth_cdn_bps"] / 1000, 0),
        "p2p_throughput": rounded(total["bandwidth_p2p_bps"] / 1000, 0),
        "total_throughput": rounded(total["bandwidth_bps"] / 1000, 0),
        **{f"{d}_devices": int(part(d, "active_views")) for d in DELIVERIES},
        "cdn_viewing_time": whole_seconds(part("cdn", "viewing_time_ms")),
        "p2p_viewing_time": whole_seconds(part("p2p", "viewing_time_ms")),
        "total_viewing_time": viewing,
    }
    if pretty:
        fields["total_pretty_viewing_time"] = pretty_duration(viewing)
    return fields


def summary_body(totals: Result, deliveries: Result, dims: Sequence[str], page: Page | None) -> list[Row]:
    """The plain list (with ``total_pretty_viewing_time``), or the seed's page wrapper; no rows
    at all is the seed's empty response."""
    index = by_delivery(deliveries, dims)
    rows = [
        {
            **entity_fields(row, dims),
            **summary_fields(row, index.get(tuple(row[d] for d in dims), {}), pretty=page is None),
        }
        for row in totals.rows
    ]
    if page is None:
        return rows or EMPTY_PAGE
    return [{"total_pages": math.ceil(totals.total / page.size), "page": page.number, "results": rows}]


def aggregate_body(totals: Result, deliveries: Result) -> list[Row]:
    index = by_delivery(deliveries, ())
    return [{"aggregate": "aggregate", **summary_fields(totals.first(), index.get((), {}), pretty=True)}]


def stat_body(result: Result, stat: Stat, source: str | None) -> list[Row]:
    """One point per bucket: ``{"datetime", <key>: value}``, or ``{<key>: {value: devices}}``."""
    key = stat.key_for(source)
    if stat.devices:
        return device_points(result, stat.devices, key)
    name = stat.metric_for(source)
    return [
        {"datetime": row["bucket_ms"], key: rounded(row[name] * stat.scale, stat.digits)}
        for row in result.rows
    ]


def device_points(result: Result, dimension: str, key: str) -> list[Row]:
    """Every point of the window; each lists only the values with devices in it."""
    counts: dict[int, dict[str, int]] = {}
    for row in result.rows:
        if row["active_views"] > 0:
            value = str(row[dimension]) or UNKNOWN
            point = counts.setdefault(row["bucket_ms"], {})
            point[value] = point.get(value, 0) + int(row["active_views"])
    starts = result.grid.starts if result.grid is not None else ()
    return [{"datetime": start, key: counts.get(start, {})} for start in starts]
