"""What running a Query returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mediastats.query.buckets import Grid
from mediastats.query.query import Query


@dataclass(frozen=True)
class Result:
    """Rows as dicts: ``bucket`` (aware UTC datetime) and ``bucket_ms`` when bucketed, one key
    per dimension, one per metric. ``total`` counts the rows before limit/offset."""

    query: Query
    rows: list[dict[str, Any]]
    total: int
    grid: Grid | None = None

    def first(self) -> dict[str, Any]:
        """The single row of a summary without dimensions (zeros when there is no data)."""
        return self.rows[0] if self.rows else {m: 0 for m in self.query.metrics}

    def column(self, name: str) -> list[Any]:
        return [row[name] for row in self.rows]
