"""What the Query core says when a request cannot become a Query."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class QueryError(Exception):
    """A parameter the core cannot use. ``param`` names it; doors render their own shape."""

    def __init__(self, param: str | None, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.param = param
        self.message = message
        self.status = status


def unknown_name(param: str, kind: str, name: str, known: Iterable[str]) -> QueryError:
    """An error for an unknown metric/dimension that suggests the closest known names."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return QueryError(param, f"unknown {kind} {name!r}{hint}")
