"""Subtotals: a Result grouped by several dimensions, summed down to one of them.

A view has one value of each dimension, so a count or sum of views (or of events) by
``protocol`` is the same count by ``protocol × player × device`` added up over players and
devices. One Query by all the dimensions a caller wants one at a time, then a subtotal per
dimension, costs one read of the store instead of one per dimension (the WMSPanel day object
wants views by protocol, by span class, by player and by device: four statements became one).
Distinct counts, ratios, rates and peaks do not add up this way and are refused.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mediastats.query.errors import QueryError
from mediastats.query.metrics import Kind, Metric, metric
from mediastats.query.result import Result
from mediastats.query.run import order

_ADDITIVE_KINDS = (Kind.BY_TS, Kind.BY_START, Kind.ACTIVE)


def is_additive(m: Metric) -> bool:
    """A count or sum: the value of a row is the sum of its parts' values."""
    return m.kind in _ADDITIVE_KINDS and (m.sql == "count()" or m.sql.startswith("sum("))


def subtotal(result: Result, dimension: str) -> Result:
    """``result``'s rows summed over every dimension but ``dimension`` (per bucket when bucketed),
    ordered by bucket, then value; rows whose metrics are all 0 are left out."""
    query = result.query
    if dimension not in query.dimensions:
        raise QueryError("dimensions", f"{dimension!r} is not a dimension of the result")
    if query.limit is not None or query.offset:
        raise QueryError("limit", "a subtotal needs every row: run the Query without limit or offset")
    refused = [name for name in query.metrics if not is_additive(metric(name))]
    if refused:
        raise QueryError("metrics", f"{', '.join(refused)} do not add up over other dimensions")
    bucketed = result.grid is not None
    sums: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in result.rows:
        key = (row["bucket_ms"], row[dimension]) if bucketed else (row[dimension],)
        out = sums.get(key)
        if out is None:
            head = {"bucket_ms": row["bucket_ms"], "bucket": row["bucket"]} if bucketed else {}
            sums[key] = {**head, dimension: row[dimension], **{m: row[m] for m in query.metrics}}
        else:
            for m in query.metrics:
                out[m] += row[m]
    single = replace(query, dimensions=(dimension,), order_by=(), limit=None, offset=0)
    rows = order(single, [r for r in sums.values() if any(r[m] for m in query.metrics)])
    return Result(query=single, rows=rows, total=len(rows), grid=result.grid)
