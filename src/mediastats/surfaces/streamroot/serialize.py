"""Result rows → Streamroot's JSON (seed "List of endpoints"): renaming keys and rounding only.

Every answer is a one-element list. Keys are spelled as each seed example prints them:
``SrKey`` in the traffic and bandwidth timeseries, ``srKey`` elsewhere; the bandwidth summary
answers the printed ``p2pAvegage`` and also ``p2pAverage``. Counts, bytes and milliseconds are
integers, like the summary examples; bandwidth timeseries points keep 2 decimals.
"""

from __future__ import annotations

import math
from typing import Any

from mediastats.query import Result

Body = dict[str, Any]
Point = list[int | float]


def whole(value: float) -> int:
    """Rounded half up (the values are never negative)."""
    return math.floor(float(value) + 0.5)


def _series(result: Result, metric: str, as_value: Any = whole) -> list[Point]:
    return [[row["bucket_ms"], as_value(row[metric])] for row in result.rows]


def _two_decimals(value: float) -> float:
    return round(float(value), 2)


def audience_body(result: Result, sr_key: str) -> Body:
    row = result.first()
    return {
        "srKey": sr_key,
        "max": whole(row["active_views.max"]),
        "average": whole(row["active_views.avg"]),
        "audience95th": whole(row["active_views.p95"]),
    }


def audience_series_body(result: Result, sr_key: str) -> Body:
    return {"srKey": sr_key, "audience": _series(result, "active_views.max")}


def traffic_body(result: Result, sr_key: str) -> Body:
    row = result.first()
    return {"srKey": sr_key, "cdn": whole(row["bytes_cdn"]), "p2p": whole(row["bytes_p2p"])}


def traffic_series_body(result: Result, sr_key: str) -> Body:
    return {"SrKey": sr_key, "p2p": _series(result, "bytes_p2p"), "cdn": _series(result, "bytes_cdn")}


def bandwidth_body(result: Result, sr_key: str) -> Body:
    row = result.first()
    # The first metric is the p2p average (its name depends on the kind of window).
    average = whole(row[result.query.metrics[0]])
    return {
        "srKey": sr_key,
        "p2pAvegage": average,
        "p2pAverage": average,
        "cdnMax": whole(row["bandwidth_cdn_bps.max"]),
        "p2pMax": whole(row["bandwidth_p2p_bps.max"]),
        "max": whole(row["bandwidth_bps.max"]),
        "p2p95th": whole(row["bandwidth_p2p_bps.p95"]),
    }


def bandwidth_series_body(result: Result, sr_key: str) -> Body:
    return {
        "SrKey": sr_key,
        "p2p": _series(result, "bandwidth_p2p_bps", _two_decimals),
        "cdn": _series(result, "bandwidth_cdn_bps", _two_decimals),
    }


def buffering_body(result: Result, sr_key: str) -> Body:
    row = result.first()
    return {"srKey": sr_key, "played": whole(row["viewing_time_ms"]), "buffered": whole(row["buffered_ms"])}


def buffering_series_body(result: Result, sr_key: str) -> Body:
    return {
        "srKey": sr_key,
        "played": _series(result, "viewing_time_ms"),
        "buffered": _series(result, "buffered_ms"),
    }


def platforms_body(result: Result, sr_key: str) -> Body:
    return {"srKey": sr_key, "platforms": result.column("sr_platform")}


def streams_body(result: Result, sr_key: str) -> Body:
    return {"srKey": sr_key, "streams": result.column("stream_uri")}
