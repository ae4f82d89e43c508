"""``run.order``: rows sorted by a Query's order_by (then by dimension), numbers before text and
None with the text, whatever shortcut a column of one type takes."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from mediastats.query import Query, Scope, TimeRange
from mediastats.query.run import order

T = TimeRange(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC))


def _expected(rows: list[dict[str, Any]], keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The order spelled out: one stable sort per key, last key first, each value ranked
    (0, number) or (1, its text)."""
    out = list(rows)
    for name, direction in reversed(keys):
        def rank(row: dict[str, Any], name: str = name) -> tuple[int, Any]:
            v = row.get(name)
            return (0, v) if isinstance(v, int | float) and not isinstance(v, bool) else (1, str(v))
        out.sort(key=rank, reverse=direction == "desc")
    return out


def test_columns_of_one_type_and_mixed_columns_order_alike() -> None:
    rnd = random.Random(3)
    rows = [{"content_id": rnd.choice(["a", "b", "c", "B"]), "views": rnd.choice([0, 1, 2, 2.5, 10]),
             "mixed": rnd.choice([None, "x", 3, "10", 2.0]), "bucket_ms": rnd.choice([0, 3_600_000])}
            for _ in range(300)]
    q = Query(Scope("acc"), ("views",), T, dimensions=("content_id", "mixed"),
              order_by=(("bucket_ms", "asc"), ("views", "desc"), ("mixed", "asc"), ("content_id", "asc")))
    keys = list(q.order_by)
    assert order(q, list(rows)) == _expected(rows, keys)
    # Without order_by: by each dimension ascending; the mixed column puts 2.0 and 3 before text.
    plain = Query(Scope("acc"), ("views",), T, dimensions=("mixed", "content_id"))
    ordered = order(plain, list(rows))
    assert ordered == _expected(rows, [("mixed", "asc"), ("content_id", "asc")])
    assert [r["mixed"] for r in ordered][:1] == [2.0] and ordered[-1]["mixed"] == "x"
