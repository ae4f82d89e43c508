"""Every metric, defined once (CONTRACT §4). A surface only renames keys and converts units.

Kinds, and how the planner computes each:

- BY_TS     an aggregate of events by their ``ts`` (sums, sample averages, ad counts)
- BY_START  an aggregate of views by the bucket their first event falls in
- ACTIVE    distinct views whose active span [first event, last event] overlaps the bucket
- RATIO     arithmetic on other metrics of the same row (rebuffering ratio, conversion rate)
- RATE      a BY_TS sum × 8 ÷ the bucket's seconds (bits/s)
- PEAK      ``<metric>.max|avg|p95`` over sub-buckets of each bucket (empty sub-buckets are 0;
            p95 by nearest rank); the sub-bucket defaults per base metric (1 minute for
            concurrency, 5 minutes for bandwidth)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from mediastats.query.errors import QueryError, unknown_name
from mediastats.query.query import FIVE_MINUTES, MINUTE, Bucket


class Kind(Enum):
    BY_TS = "by_ts"
    BY_START = "by_start"
    ACTIVE = "active"
    RATIO = "ratio"
    RATE = "rate"
    PEAK = "peak"


@dataclass(frozen=True)
class Metric:
    name: str
    kind: Kind
    # ClickHouse aggregate over events (BY_TS) or over merged sessions (BY_START / ACTIVE).
    sql: str = ""
    unit: str = ""
    doc: str = ""
    # RATIO: numerator, denominator metric names and a factor; RATE: the bytes metric.
    parts: tuple[str, ...] = ()
    factor: float = 1.0
    # The sub-bucket PEAK aggregates use by default.
    sub_bucket: Bucket | None = None
    integer: bool = False
    # BY_TS: the same aggregate over the rollups' columns (schema.ROLLUP_MEASURES);
    # "" when a rollup cannot hold it (distinct counts), and the planner reads raw events.
    rollup: str = ""
    # BY_START / ACTIVE: the same from session facts grouped per viewer (query/sql.py, "facts"):
    # f_n = the viewer's standing views in the row, f_played = their time played.
    facts: str = ""


def _m(*args: object, **kw: object) -> Metric:
    return Metric(*args, **kw)  # type: ignore[arg-type]


_BASE: tuple[Metric, ...] = (
    _m("views", Kind.BY_START, "count()", "views", "Views (sessions) by the bucket of their first event.", integer=True,
       facts="sum(f_n)"),
    _m("unique_viewers", Kind.BY_START, "uniqExact(viewer)", "viewers",
       "Distinct viewers (viewer_id, else ip + user agent) among views that start in the bucket. Exact.", integer=True,
       facts="countIf(f_n > 0)"),
    _m("started_played_ms", Kind.BY_START, "sum(played_ms)", "ms",
       "All time played by the views that start in the bucket, wherever it was played.", integer=True,
       facts="sum(f_played)"),
    _m("active_views", Kind.ACTIVE, "count()", "views",
       "Concurrent viewers: distinct views whose active span overlaps the bucket.",
       sub_bucket=MINUTE, integer=True, facts="sum(f_n)"),
    _m("viewing_time_ms", Kind.BY_TS, "sum(played_ms)", "ms", "Time played: sum of played_ms by event ts.", integer=True,
       rollup="sum(played_ms)"),
    _m("buffered_ms", Kind.BY_TS, "sum(rebuffer_ms)", "ms", "Time buffered: sum of rebuffer_ms by event ts.", integer=True,
       rollup="sum(rebuffer_ms)"),
    _m("bytes_cdn", Kind.BY_TS, "sum(bytes_cdn)", "bytes", "Traffic from the CDN: sum of bytes_cdn.", integer=True,
       rollup="sum(bytes_cdn)"),
    _m("bytes_p2p", Kind.BY_TS, "sum(bytes_p2p)", "bytes", "Traffic from peers: sum of bytes_p2p.", integer=True,
       rollup="sum(bytes_p2p)"),
    _m("bytes_total", Kind.BY_TS, "sum(bytes_cdn + bytes_p2p)", "bytes", "Traffic from CDN and peers.", integer=True,
       rollup="sum(bytes_cdn + bytes_p2p)"),
    _m("avg_buffer_ms", Kind.BY_TS, "avg(buffer_ms)", "ms", "Mean buffer health of the samples in the bucket.",
       rollup="sum(buffer_ms_sum) / sum(buffer_ms_n)"),
    _m("avg_buffer_fill_rate", Kind.BY_TS, "avg(buffer_fill_rate)", "ratio", "Mean buffer filling rate of the samples.",
       rollup="sum(buffer_fill_rate_sum) / sum(buffer_fill_rate_n)"),
    _m("avg_request_rtt_ms", Kind.BY_TS, "avg(request_rtt_ms)", "ms", "Mean content request response time.",
       rollup="sum(request_rtt_ms_sum) / sum(request_rtt_ms_n)"),
    _m("avg_dropped_frames", Kind.BY_TS, "avg(dropped_frames)", "frames", "Mean dropped frames per sample.",
       rollup="sum(dropped_frames_sum) / sum(dropped_frames_n)"),
    _m("ad_opportunities", Kind.BY_TS, "countIf(type = 'ad_opportunity')", "events", "ad_opportunity events.", integer=True,
       rollup="sum(ad_opportunities)"),
    _m("ad_requests", Kind.BY_TS, "countIf(type = 'ad_request')", "events", "ad_request events.", integer=True,
       rollup="sum(ad_requests)"),
    _m("ad_responses", Kind.BY_TS, "countIf(type = 'ad_response')", "events", "ad_response events.", integer=True,
       rollup="sum(ad_responses)"),
    _m("ad_assets", Kind.BY_TS, "countIf(type = 'ad_asset')", "events", "ad_asset events.", integer=True,
       rollup="sum(ad_assets)"),
    _m("ad_impressions", Kind.BY_TS, "countIf(type = 'ad_impression')", "events", "ad_impression events.", integer=True,
       rollup="sum(ad_impressions)"),
    _m("ad_viewers", Kind.BY_TS, "uniqExactIf(viewer, type = 'ad_impression')", "viewers",
       "Distinct viewers with an ad impression in the bucket.", integer=True),
    _m("ad_events", Kind.BY_TS, "countIf(type LIKE 'ad\\_%')", "events", "Events of any ad_* type.", integer=True,
       rollup="sum(ad_events)"),
    _m("rebuffering_ratio", Kind.RATIO, unit="ratio", parts=("buffered_ms", "viewing_time_ms"),
       doc="buffered / (played + buffered); 0 when both are 0."),
    _m("conversion_rate", Kind.RATIO, unit="%", parts=("ad_impressions", "ad_assets"), factor=100.0,
       doc="ad impressions / ad assets received × 100; 0 when either is 0."),
    _m("views_per_viewer", Kind.RATIO, unit="views", parts=("views", "unique_viewers"),
       doc="Views per unique viewer (views / unique_viewers); 0 when either is 0."),
    _m("viewing_time_ms_per_view", Kind.RATIO, unit="ms", parts=("viewing_time_ms", "views"),
       doc="Time played per view (viewing_time_ms / views); 0 when either is 0."),
    _m("started_played_ms_per_viewer", Kind.RATIO, unit="ms", parts=("started_played_ms", "unique_viewers"),
       doc="Time played by the views started in the bucket, per unique viewer; 0 when either is 0."),
    _m("bandwidth_cdn_bps", Kind.RATE, unit="bit/s", parts=("bytes_cdn",), sub_bucket=FIVE_MINUTES,
       doc="bytes_cdn × 8 / bucket seconds."),
    _m("bandwidth_p2p_bps", Kind.RATE, unit="bit/s", parts=("bytes_p2p",), sub_bucket=FIVE_MINUTES,
       doc="bytes_p2p × 8 / bucket seconds."),
    _m("bandwidth_bps", Kind.RATE, unit="bit/s", parts=("bytes_total",), sub_bucket=FIVE_MINUTES,
       doc="(bytes_cdn + bytes_p2p) × 8 / bucket seconds."),
)

METRICS: dict[str, Metric] = {m.name: m for m in _BASE}
PEAK_AGGREGATES = ("max", "avg", "p95")
# Which base metrics may be peaked: those with a per-bucket value and a default sub-bucket.
PEAKABLE = (*(m.name for m in _BASE if m.sub_bucket is not None), "viewing_time_ms", "bytes_total")


def metric(name: str, param: str = "metrics") -> Metric:
    """The Metric called ``name``, including ``<base>.max|avg|p95`` peaks."""
    if name in METRICS:
        return METRICS[name]
    base, dot, agg = name.rpartition(".")
    if dot and base in METRICS and agg in PEAK_AGGREGATES:
        if base not in PEAKABLE:
            raise QueryError(param, f"{base!r} has no per-bucket peak; peak one of {', '.join(PEAKABLE)}")
        inner = METRICS[base]
        return Metric(
            name=name, kind=Kind.PEAK, unit=inner.unit, parts=(base, agg),
            sub_bucket=inner.sub_bucket or FIVE_MINUTES,
            doc=f"{agg} of {base} over sub-buckets (empty sub-buckets count as 0).",
        )
    known = [*METRICS, *(f"{b}.{a}" for b in PEAKABLE for a in PEAK_AGGREGATES)]
    raise unknown_name(param, "metric", name, known)


def stored_parts(m: Metric) -> tuple[Metric, ...]:
    """The SQL-computed metrics that ``m`` is computed from (itself if it is one)."""
    if m.kind in (Kind.BY_TS, Kind.BY_START, Kind.ACTIVE):
        return (m,)
    if m.kind in (Kind.RATIO, Kind.RATE):
        return tuple(p for name in m.parts for p in stored_parts(METRICS[name]))
    return ()
