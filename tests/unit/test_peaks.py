"""``query/peaks.py``: the dense sub-bucket series and its per-outer-bucket runs give the same
peaks as taking, for every sub-bucket, its value and its outer bucket one at a time."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import UTC, datetime

import pytest

from mediastats.query import peaks
from mediastats.query.buckets import grid
from mediastats.query.query import Bucket, TimeRange
from mediastats.query.run import running_totals


def _nearest_rank_p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


@pytest.mark.parametrize(("zone", "start", "end", "sub", "outer"), [
    # Across the end of summer time: one day of 25 hours.
    ("Europe/Berlin", datetime(2026, 10, 20, 7, 3, tzinfo=UTC), datetime(2026, 10, 29, 1, tzinfo=UTC),
     Bucket("minute", 5), Bucket("day", 1)),
    ("UTC", datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, 12, tzinfo=UTC), Bucket("minute", 1),
     Bucket("hour", 1)),
    ("Asia/Kathmandu", datetime(2026, 1, 30, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC), Bucket("hour", 1),
     Bucket("month", 1)),
])
def test_runs_and_peaks_match_each_sub_bucket_taken_alone(
    zone: str, start: datetime, end: datetime, sub: Bucket, outer: Bucket,
) -> None:
    sub_grid, outer_grid = grid(sub, TimeRange(start, end), zone), grid(outer, TimeRange(start, end), zone)
    rng = random.Random(len(sub_grid))
    values = [float(rng.choice([0, 0, rng.randrange(1, 50)])) for _ in range(len(sub_grid))]
    by_outer: dict[int, list[float]] = defaultdict(list)
    for index, sub_start in enumerate(sub_grid.starts):
        by_outer[outer_grid.index_of(sub_start)].append(values[index])
    runs = peaks.outer_runs(sub_grid, outer_grid)
    assert {o: values[lo:hi] for o, lo, hi in runs} == by_outer
    for how, expected in (("max", max), ("avg", lambda v: sum(v) / len(v)), ("p95", _nearest_rank_p95)):
        got = peaks.peaks({(): values}, runs, how, len(sub_grid), dimensions=0)
        assert got == {(o,): expected(v) for o, v in by_outer.items()}


def test_changes_add_up_to_the_running_totals_per_combination() -> None:
    rng = random.Random(3)
    length = 40
    changes: dict[tuple[int, str], int] = defaultdict(int)
    for _ in range(120):
        first = rng.randrange(0, length)
        last = first + rng.randrange(0, 15)
        channel = rng.choice("ab")
        changes[(first, channel)] += 1
        changes[(min(last, length - 1) + 1, channel)] -= 1  # one past the grid is dropped
    # A channel whose only view was folded away: its changes cancel and it has no series.
    changes[(3, "c")] += 0
    rows = [(b, channel, n) for (b, channel), n in changes.items()]
    arrays = [(channel, [b for b, c, _ in rows if c == channel], [n for _, c, n in rows if c == channel])
              for channel in "abc"]  # what sql.series_sql makes of the rows
    (series,) = peaks.dense_series(arrays, dimensions=1, metrics=1, length=length, running=True)
    expected: dict[tuple[str], list[float]] = {}
    for b, channel, n in running_totals(rows, length, dimensions=1):
        expected.setdefault((channel,), [0.0] * length)[b] = n
    assert series == expected
    assert set(series) == {("a",), ("b",)}


def test_no_rows_no_dimensions_is_one_series_of_zeros() -> None:
    assert peaks.peaks({}, [(None, 0, 4)], "max", 4, dimensions=0) == {(): 0.0}
    assert peaks.peaks({}, [(None, 0, 4)], "max", 4, dimensions=1) == {}
    assert peaks.dense_series([([], [])], dimensions=0, metrics=1, length=4, running=True) == [{}]
    sparse, other = peaks.dense_series([([1, 3], [5, 7], [1, 0])], dimensions=0, metrics=2, length=4,
                                         running=False)
    assert sparse == {(): [0.0, 5.0, 0.0, 7.0]} and other == {(): [0.0, 1.0, 0.0, 0.0]}
    assert peaks.peaks(sparse, [(None, 0, 4)], "avg", 4, dimensions=0) == {(): 3.0}
