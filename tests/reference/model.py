"""CONTRACT §4 (with the session rules of §3) in plain Python, over a list of event dicts.

Written from the CONTRACT text, not from the planner: the reference tests ingest the same events
over HTTP and require the SQL answer to equal what this module computes. It reads a ``Query``'s
fields (metrics, dimensions, filters, time, bucket, timezone, sub_bucket, source, rate_seconds,
scope) and nothing else of the core.

Rules, each from the CONTRACT (sessions in ``views.py``, bucket grids in ``grid.py``):

- §3 dedup: an ``event_id`` seen before is not stored again (the first one counts).
- §3 session attributes: the value on the session's earliest event that carries the field;
  ``delivery`` and ``bitrate_kbps``: the latest value. Defaults: channel ``default``, content
  type ``live``, delivery ``cdn``. The viewer is ``viewer_id``, else ``ip`` + ``user_agent``.
- §4 a view belongs to the bucket of its first event (views, unique viewers, time played by the
  views started); it is active from its first to its last event and counts in every bucket its
  span overlaps; sums and sample averages go by event ``ts``; a ratio is taken on the row's sums;
  a rate is bytes × 8 ÷ the bucket's full length; a peak is max / mean / nearest-rank 95th
  percentile of the base metric over the sub-buckets of the range, empty ones counting as 0.
- Only what happens inside the requested range counts: a bucket's data window is the bucket cut
  to the range (the first and last buckets may stick out of it).
- Days, weeks (Monday first) and months follow the timezone; buckets below a day are fixed
  lengths aligned to multiples of their step in epoch time (the same thing as local multiples in
  whole-hour zones such as US/Pacific).

By-time metrics grouped or filtered by a session attribute use the session's value; for
``delivery`` and ``bitrate_kbps`` (latest wins) an event carries the value in force when it was
sent (its own, else the session's previous one), which is what "latest" means at that moment.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tests.reference.grid import FIXED_SECONDS, to_ms, windows, windows_holding
from tests.reference.views import Event, View, store_of

AD_COUNTS = {"ad_opportunities": "ad_opportunity", "ad_requests": "ad_request", "ad_responses": "ad_response",
             "ad_assets": "ad_asset", "ad_impressions": "ad_impression"}


Rows = dict[tuple[Any, ...], dict[str, float]]
Group = Callable[[Any], tuple[Any, ...]]


def _sum(events: list[Event], name: str) -> float:
    return float(sum(e.raw.get(name) or 0 for e in events))


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def by_ts(name: str, events: list[Event]) -> float:
    if name == "viewing_time_ms":
        return _sum(events, "played_ms")
    if name == "buffered_ms":
        return _sum(events, "rebuffer_ms")
    if name in ("bytes_cdn", "bytes_p2p"):
        return _sum(events, name)
    if name == "bytes_total":
        return _sum(events, "bytes_cdn") + _sum(events, "bytes_p2p")
    if name.startswith("avg_"):
        sample = name[4:]
        return _mean([float(e.raw[sample]) for e in events if e.raw.get(sample) is not None])
    if name in AD_COUNTS:
        return float(sum(1 for e in events if e.type == AD_COUNTS[name]))
    if name == "ad_viewers":
        return float(len({e.view.viewer for e in events if e.type == "ad_impression" and e.view}))
    if name == "ad_events":
        return float(sum(1 for e in events if e.type.startswith("ad_")))
    raise KeyError(name)


def by_start(name: str, views: list[View]) -> float:
    if name == "views":
        return float(len(views))
    if name == "unique_viewers":
        return float(len({v.viewer for v in views}))
    if name == "started_played_ms":
        return float(sum(_sum(v.events, "played_ms") for v in views))
    raise KeyError(name)


BY_START = ("views", "unique_viewers", "started_played_ms")
# Ratios of a row's own numbers (0 when either part is 0): CONTRACT §4 and §6 (rebuffering ratio,
# Amagi conversion rate, sessions and minutes per viewer, time played per view).
RATIOS: dict[str, tuple[str, str, float]] = {
    "rebuffering_ratio": ("buffered_ms", "viewing_time_ms", 1.0),
    "conversion_rate": ("ad_impressions", "ad_assets", 100.0),
    "views_per_viewer": ("views", "unique_viewers", 1.0),
    "viewing_time_ms_per_view": ("viewing_time_ms", "views", 1.0),
    "started_played_ms_per_viewer": ("started_played_ms", "unique_viewers", 1.0),
}
RATES = {"bandwidth_cdn_bps": "bytes_cdn", "bandwidth_p2p_bps": "bytes_p2p", "bandwidth_bps": "bytes_total"}
PEAK_SUB = {"active_views": ("minute", 1)}


def nearest_rank_p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)), 1) - 1] if ordered else 0.0


class Model:
    """Expected rows of a query over one account's events."""

    def __init__(self, sent: Iterable[dict[str, Any]]) -> None:
        self.store = store_of(sent)

    def rows(self, query: Any) -> Rows:
        """{(bucket start?, *dimension values): {metric: value}} for every bucket × combination with
        data (no zero rows)."""
        views, events = self._inputs(query)
        out: Rows = {}
        for name in query.metrics:
            for key, value in self._metric(query, name, query.bucket, events, views).items():
                out.setdefault(key, {})[name] = value[name]
        for values in out.values():
            for name in query.metrics:
                values.setdefault(name, 0.0)
        return {k: v for k, v in out.items() if any(v.values())}

    def listing(self, query: Any) -> set[tuple[Any, ...]]:
        """Dimension combinations of the events in the range (a Query without metrics)."""
        lo, hi = to_ms(query.time.start), to_ms(query.time.end)
        _, events = self._inputs(query)
        return {
            tuple(e.value(d) for d in query.dimensions)
            for e in events
            if lo <= e.ts_ms < hi and any(str(e.value(d)) != "" for d in query.dimensions)
        }

    def _inputs(self, query: Any) -> tuple[list[View], list[Event]]:
        """The views and events a query reads: in its scope (a view's server and channel), of its
        source (latest delivery) and passing its filters (a view by its values, an event by its)."""
        scoped = [
            v for v in self.store.views.values()
            if _in_scope(query.scope, v.value) and (query.source is None or v.value("delivery") == query.source)
        ]
        ids = {v.session_id for v in scoped}
        views = [v for v in scoped if _filtered(query.filters, v.value)]
        events = [e for e in self.store.events
                  if e.view is not None and e.view.session_id in ids and _filtered(query.filters, e.value)]
        return views, events

    def _metric(self, query: Any, name: str, bucket: Any, events: list[Event], views: list[View]) -> Rows:
        dims = query.dimensions
        out: Rows = {}
        if "." in name:
            return self._peak(query, name, events, views)
        if name in RATIOS:
            numerator, denominator, factor = RATIOS[name]
            parts = (numerator, denominator)
            sums = [self._metric(query, p, bucket, events, views) for p in parts]
            for key in set(sums[0]) | set(sums[1]):
                num, den = (s.get(key, {}).get(p, 0.0) for s, p in zip(sums, parts, strict=True))
                if name == "rebuffering_ratio":  # buffered / (played + buffered)
                    den += num
                out[key] = {name: num / den * factor if num and den else 0.0}
            return out
        spans = windows(query, bucket)
        lows = [lo for _, (lo, _, _) in spans]
        members: dict[int, list[Any]] = {}
        if name in BY_START:
            for v in views:
                for i in windows_holding(spans, lows, v.first_ms, v.first_ms):
                    members.setdefault(i, []).append(v)
        elif name == "active_views":
            for v in views:
                for i in windows_holding(spans, lows, v.first_ms, v.last_ms):
                    members.setdefault(i, []).append(v)
        else:
            for e in events:
                for i in windows_holding(spans, lows, e.ts_ms, e.ts_ms):
                    members.setdefault(i, []).append(e)
        for i, chosen in members.items():
            start, (_, _, seconds) = spans[i]
            head = (start,) if bucket is not None else ()
            for combo, group in _groups(chosen, lambda x: tuple(x.value(d) for d in dims)).items():
                if name == "active_views":
                    value = float(len(group))
                elif name in BY_START:
                    value = by_start(name, group)
                elif name in RATES:
                    value = by_ts(RATES[name], group) * 8 / (query.rate_seconds or seconds)
                else:
                    value = by_ts(name, group)
                out[(*head, *combo)] = {name: value}
        return out

    def _peak(self, query: Any, name: str, events: list[Event], views: list[View]) -> Rows:
        base, how = name.rsplit(".", 1)
        unit, count = PEAK_SUB.get(base, ("minute", 5))
        sub = query.sub_bucket or _Bucket(unit, count)
        outer = query.bucket
        fixed = outer is not None and outer.unit in FIXED_SECONDS and sub.unit in FIXED_SECONDS
        if fixed and FIXED_SECONDS[sub.unit] * sub.count > FIXED_SECONDS[outer.unit] * outer.count:
            sub = outer  # never peak over sub-buckets longer than the bucket itself
        inner = _Inner(query, sub)
        values = self._metric(inner, base, sub, events, views)
        sub_starts = [start for start, _ in windows(query, sub)]
        outer_starts: list[Any] = [start for start, _ in windows(query, outer)] if outer is not None else [None]
        combos = {key[1:] for key in values}
        out: Rows = {}
        for combo in combos:
            series: dict[Any, list[float]] = {o: [] for o in outer_starts}
            for s in sub_starts:
                # the outer bucket a sub-bucket belongs to: the last one starting at or before it
                owner = outer_starts[0] if outer is None else outer_starts[bisect.bisect_right(outer_starts, s) - 1]
                series[owner].append(values.get((s, *combo), {}).get(base, 0.0))
            for owner, numbers in series.items():
                head = (owner,) if outer is not None else ()
                out[(*head, *combo)] = {name: _aggregate(numbers, how)}
        return out


def _aggregate(values: list[float], how: str) -> float:
    if not values:
        return 0.0
    if how == "max":
        return max(values)
    if how == "avg":
        return sum(values) / len(values)
    return nearest_rank_p95(values)


@dataclass(frozen=True)
class _Bucket:
    unit: str
    count: int = 1


class _Inner:
    """The query as its peak sees it: the same question, bucketed by the sub-bucket."""

    def __init__(self, query: Any, sub: Any) -> None:
        self.time, self.timezone, self.dimensions = query.time, query.timezone, query.dimensions
        self.bucket, self.rate_seconds = sub, None


def _groups(items: Iterable[Any], key: Group) -> dict[tuple[Any, ...], list[Any]]:
    out: dict[tuple[Any, ...], list[Any]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def _in_scope(scope: Any, value: Callable[[str], Any]) -> bool:
    def covers(piece: Any) -> bool:
        return (not piece.servers or value("server_id") in piece.servers) and (
            not piece.channels or value("channel_id") in piece.channels
        )

    return any(covers(piece) for piece in scope.slices)


def _filtered(filters: Iterable[Any], value: Callable[[str], Any]) -> bool:
    return all((str(value(f.dimension)) in f.values) != f.negate for f in filters)
