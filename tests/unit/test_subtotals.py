"""``query.subtotal``: a Result by several dimensions summed down to one, checked against sums
spelled out here; distinct counts and partial Results refused."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from mediastats.query import DAY, Query, QueryError, Result, Scope, TimeRange, grid, subtotal
from mediastats.query.buckets import utc_from_ms

T = TimeRange(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC))


def _result(metrics: tuple[str, ...] = ("views", "viewing_time_ms"), **kw: object) -> Result:
    q = Query(Scope("acc"), metrics, T, dimensions=("protocol", "wms_player"), bucket=DAY, fill=False,
              **kw)  # type: ignore[arg-type]
    days = grid(DAY, T, "UTC")
    rnd = random.Random(5)
    rows = []
    for b in range(len(days)):
        for protocol in ("hls", "dash", ""):
            for player in ("Flash", "Unknown", "Android"):
                start = days.starts[b]
                rows.append({"bucket_ms": start, "bucket": utc_from_ms(start), "protocol": protocol,
                             "wms_player": player, **{m: rnd.choice((0, 0, 1, 4, 7)) for m in metrics}})
    return Result(query=q, rows=rows, total=len(rows), grid=days)


def test_each_dimension_summed_over_the_others_per_day() -> None:
    result = _result()
    for dimension in ("protocol", "wms_player"):
        expected: Counter[tuple[int, str, str]] = Counter()
        for row in result.rows:
            for m in ("views", "viewing_time_ms"):
                expected[(row["bucket_ms"], row[dimension], m)] += row[m]
        got = subtotal(result, dimension)
        assert got.query.dimensions == (dimension,)
        seen = {(r["bucket_ms"], r[dimension], m): r[m] for r in got.rows for m in ("views", "viewing_time_ms")}
        assert seen == {k: v for k, v in expected.items()
                        if expected[(k[0], k[1], "views")] or expected[(k[0], k[1], "viewing_time_ms")]}
        keys = [(r["bucket_ms"], r[dimension]) for r in got.rows]
        assert keys == sorted(keys) and len(keys) == len(set(keys))
        assert all(r["bucket"] == utc_from_ms(r["bucket_ms"]) for r in got.rows)


def test_distinct_counts_and_cut_results_are_refused() -> None:
    with pytest.raises(QueryError, match="unique_viewers"):
        subtotal(_result(("views", "unique_viewers")), "protocol")
    with pytest.raises(QueryError, match="limit"):
        subtotal(_result(limit=3), "protocol")
    with pytest.raises(QueryError, match="country"):
        subtotal(_result(), "country")
