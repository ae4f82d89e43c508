"""Raw events or rollups: the one place that decides which tables answer the by-time (BY_TS) part
of a query, as Plausible's ``table_decider`` does.

The rollups (``storage.schema.ROLLUPS``: one row per account × 5 minutes or hour × the rollup's
dimensions, sums and counts only) answer exactly when

- the metric has a rollup expression (sums, counts, sample means as sum ÷ count; a distinct count
  such as ``ad_viewers`` has none and is read from raw events in a statement of its own),
- every dimension, filter and slice column is a column of the rollup, and the query has no
  ``source`` (that keeps the views whose *latest* delivery is X, a per-session fact),
- every bucket boundary of the grid is a whole UTC period of the rollup, so no period straddles
  two buckets: fixed steps of whole periods from an aligned first bucket, and calendar days, weeks
  and months whose local midnights are whole periods. Five minutes fit every zone in use today
  (Asia/Kathmandu's +05:45 included); hours only whole-hour zones and steps of whole hours.

A range is cut into pieces: its whole hours from an hourly rollup where the buckets allow, the
whole 5-minute periods left at either end from the 5-minute one, and what remains at the very
ends (a now-relative window ends mid-minute) from raw events, all added up in one statement. A
query no rollup can serve, or a range without a whole period in it, reads raw events with the
same SQL as before."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mediastats.query.buckets import Grid, to_ms, utc_from_ms
from mediastats.query.metrics import Metric
from mediastats.query.query import Query, TimeRange
from mediastats.storage.schema import ROLLUP_MEASURES, ROLLUPS, Rollup

_SCOPE_COLUMNS = ("server_id", "channel_id")


@dataclass(frozen=True)
class Piece:
    """A part of the range and where it is read: a rollup, or raw events (None)."""

    rollup: Rollup | None
    time: TimeRange


@dataclass(frozen=True)
class RollupRead:
    """The pieces that together cover the query's range, in time order."""

    pieces: tuple[Piece, ...]


def split(metrics: Sequence[Metric]) -> tuple[tuple[Metric, ...], tuple[Metric, ...]]:
    """(the metrics a rollup can hold, the ones only raw events can answer)."""
    return tuple(m for m in metrics if m.rollup), tuple(m for m in metrics if not m.rollup)


def choose(query: Query, grid: Grid | None, metrics: Sequence[Metric]) -> RollupRead | None:
    """How to read ``metrics`` of ``query`` from rollups exactly, or None for raw events only.
    ``metrics`` empty with dimensions is a listing (the values with data)."""
    if query.source is not None or any(not m.rollup for m in metrics):
        return None
    if not metrics and not query.dimensions:
        return None
    needed = _columns(query)
    grains: dict[int, Rollup] = {}
    for r in ROLLUPS:
        if r.grain_s not in grains and needed <= set(r.dimensions) and (grid is None or aligned(grid, r.grain_s)):
            grains[r.grain_s] = r
    ladder = sorted(grains.items(), reverse=True)
    pieces = _pieces(to_ms(query.time.start), to_ms(query.time.end), [(g * 1000, r) for g, r in ladder])
    if all(rollup is None for rollup, _, _ in pieces):
        return None
    return RollupRead(tuple(Piece(r, TimeRange(utc_from_ms(lo), utc_from_ms(hi))) for r, lo, hi in pieces))


def aligned(grid: Grid, grain_s: int) -> bool:
    """Every bucket of ``grid`` is a whole number of UTC periods of ``grain_s`` seconds."""
    step, grain_ms = grid.bucket.seconds, grain_s * 1000
    if step is not None:
        return step % grain_s == 0 and grid.starts[0] % grain_ms == 0
    return grid.end % grain_ms == 0 and all(start % grain_ms == 0 for start in grid.starts)


def measures(metrics: Sequence[Metric]) -> tuple[str, ...]:
    """The rollup columns the metrics' rollup expressions read, in the table's order."""
    words = {w for m in metrics for w in re.findall(r"\w+", m.rollup)}
    return tuple(name for name, _, _ in ROLLUP_MEASURES if name in words)


def _pieces(start: int, end: int, ladder: list[tuple[int, Rollup]]) -> list[tuple[Rollup | None, int, int]]:
    """[start, end) in ms: whole periods of the coarsest grain, the rest with the finer ones."""
    if start >= end:
        return []
    if not ladder:
        return [(None, start, end)]
    (grain_ms, rollup), finer = ladder[0], ladder[1:]
    first, last = -(-start // grain_ms) * grain_ms, end // grain_ms * grain_ms
    if first >= last:
        return _pieces(start, end, finer)
    return [*_pieces(start, first, finer), (rollup, first, last), *_pieces(last, end, finer)]


def _columns(query: Query) -> set[str]:
    needed = set(query.dimensions) | {f.dimension for f in query.filters}
    if not query.scope.is_everything:
        needed.update(_SCOPE_COLUMNS)
    return needed
