"""``run.running_totals``: per-bucket changes (+1 at a view's first bucket, −1 after its last)
added up give the views active in each bucket, counted here directly from the spans."""

from __future__ import annotations

import random
from collections import Counter

from mediastats.query.run import running_totals


def _changes(spans: list[tuple[str, int, int, int]], buckets: int) -> list[tuple[object, ...]]:
    """What the SQL returns: (b, channel, sum of changes), one row per (bucket, channel)."""
    summed: Counter[tuple[int, str]] = Counter()
    for channel, first, last, sign in spans:
        summed[(max(first, 0), channel)] += sign
        summed[(min(last, buckets - 1) + 1, channel)] -= sign
    return [(b, channel, n) for (b, channel), n in summed.items()]


def test_running_totals_count_the_views_spanning_each_bucket() -> None:
    rng = random.Random(7)
    buckets = 60
    spans = []
    for _ in range(300):
        first = rng.randrange(-10, buckets)
        last = first + rng.randrange(0, 30)
        if last >= 0:  # the SQL reads views that overlap the grid
            spans.append((rng.choice("abc"), first, last, 1))
    # A view folded twice: its old rows cancel (+1 then −1), its new span stands.
    spans += [("a", 5, 9, 1), ("a", 5, 9, -1), ("a", 5, 12, 1)]
    expected = Counter()
    for channel, first, last, sign in spans:
        for b in range(max(first, 0), min(last, buckets - 1) + 1):
            expected[(b, channel)] += sign
    got = running_totals(_changes(spans, buckets), buckets, dimensions=1)
    assert {(b, ch): n for b, ch, n in got} == {k: n for k, n in expected.items() if n}
    assert len(got) == len({(b, ch) for b, ch, _ in got})  # one row per bucket and channel


def test_no_views_no_rows_and_a_span_past_the_grid_runs_to_its_end() -> None:
    assert running_totals([], 10, dimensions=0) == []
    assert running_totals([(7, 2), (10, -2)], 10, dimensions=0) == [(7, 2), (8, 2), (9, 2)]
