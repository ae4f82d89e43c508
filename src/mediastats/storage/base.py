"""The storage interface every backend implements.

Query SQL is written once, with ``{name:Type}`` placeholders (ClickHouse's own spelling). A
backend binds them its own way: chdb server-side, clickhouse-driver client-side. Nothing outside
``storage/`` knows which backend runs.

    StorageError
     └── StorageLocked   another process owns the data dir
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

ParamValue = str | int | float | Sequence[str] | Sequence[int]
Params = Mapping[str, Any]


class StorageError(Exception):
    """The store could not answer."""


class StorageLocked(StorageError):
    """Another process owns this data dir."""


@dataclass(frozen=True)
class Columns:
    """A query answer: column names and rows (tuples), as the store returned them."""

    names: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.names, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None


class Storage(Protocol):
    """What the rest of the server may ask of the analytics store."""

    name: str
    # Read the rollups and the sessions table where they answer a query exactly (MEDIASTATS_ROLLUPS;
    # on by default). Off, every answer comes from raw events by plain SQL, for comparison.
    rollups: bool

    def migrate(self) -> None:
        """Create or upgrade every table (idempotent, versioned)."""

    def insert_json_rows(self, table: str, rows: bytes) -> None:
        """Insert newline-separated JSON objects; returns once the rows are durably stored."""

    def query(self, sql: str, params: Params | None = None) -> Columns:
        """Run one SELECT with bound parameters."""

    def ping(self) -> None:
        """Raise StorageError if the store cannot answer."""

    def close(self) -> None: ...
