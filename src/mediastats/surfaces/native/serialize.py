"""Result → native JSON: flat rows (``time`` in RFC 3339 when bucketed) and a ``meta`` block."""

from __future__ import annotations

from typing import Any

from mediastats.query import Result


def result_body(result: Result, page: int) -> dict[str, Any]:
    q = result.query
    rows = []
    for row in result.rows:
        out: dict[str, Any] = {}
        if "bucket" in row:
            out["time"] = row["bucket"].strftime("%Y-%m-%dT%H:%M:%SZ")
        for name in (*q.dimensions, *q.metrics):
            value = row[name]
            out[name] = round(value, 4) if isinstance(value, float) else value
        rows.append(out)
    return {
        "results": rows,
        "meta": {
            "metrics": list(q.metrics),
            "dimensions": list(q.dimensions),
            "time_range": [q.time.start.isoformat(), q.time.end.isoformat()],
            "interval": q.bucket.label() if q.bucket else None,
            "timezone": q.timezone,
            "total_rows": result.total,
            "page": page,
            "limit": q.limit,
        },
    }


def listing_body(result: Result, dimension: str) -> dict[str, Any]:
    return {"results": [row[dimension] for row in result.rows if row[dimension] != ""]}
