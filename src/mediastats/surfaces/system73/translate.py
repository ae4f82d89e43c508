"""System73 request parameters → Query (CONTRACT §4 now-relative windows, §6 System73).

``time`` names a window W ending now, cut into points of a fixed step aligned to multiples of
the step in epoch time; the last point is the bucket that holds now (partial), the first starts
(W ÷ step − 1) steps before it. Summaries aggregate the same span (first point's start → now)
and divide their rates by W.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from mediastats.query import FIVE_MINUTES, HOUR, MINUTE, Bucket, Filter, Query, QueryError, Scope, TimeRange
from mediastats.surfaces.system73.catalog import Stat

Source = Literal["cdn", "p2p"]
SOURCES: tuple[Source, ...] = ("cdn", "p2p")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# time → (W in seconds, point step) (CONTRACT §6).
WINDOWS: dict[str, tuple[int, Bucket]] = {
    "live": (60, Bucket("second", 5)),
    "10m": (600, Bucket("second", 10)),
    "1h": (3600, MINUTE),
    "24h": (86_400, FIVE_MINUTES),
    "1w": (7 * 86_400, HOUR),
    "1M": (30 * 86_400, Bucket("hour", 6)),
}
DEFAULT_PER_PAGE = 10

# Summary metrics: per entity, and per entity × latest delivery (devices, viewing time).
SUMMARY_TOTALS = (
    "bandwidth_cdn_bps", "bandwidth_p2p_bps", "bandwidth_bps", "viewing_time_ms", "active_views",
)
SUMMARY_BY_DELIVERY = ("active_views", "viewing_time_ms")


@dataclass(frozen=True)
class Window:
    """A ``time`` window: its length, its point step, every point's span and the last point's."""

    seconds: int
    step: Bucket
    points: TimeRange
    last: TimeRange


@dataclass(frozen=True)
class Level:
    """Account, channel or stream, from the path."""

    channel_id: str | None = None
    stream_id: str | None = None

    @property
    def entity(self) -> tuple[str, ...]:
        """The dimensions a summary lists one row per: channels, streams or renditions."""
        if self.stream_id is not None:
            return ("bitrate_kbps", "representation_id")
        if self.channel_id is not None:
            return ("stream_id", "stream_uri")
        return ("channel_id",)


@dataclass(frozen=True)
class Page:
    number: int
    size: int


def _at_ms(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=ms)


def window(params: Mapping[str, str], now: datetime) -> Window:
    """The ``time`` window ending at ``now`` (required)."""
    name = params.get("time")
    if not name:
        raise QueryError("time", f"time is required: one of {', '.join(WINDOWS)}")
    if name not in WINDOWS:
        raise QueryError("time", f"time {name!r} is not one of {', '.join(WINDOWS)}")
    seconds, step = WINDOWS[name]
    step_ms = (step.seconds or 0) * 1000
    now_ms = (now - EPOCH) // timedelta(milliseconds=1)
    last_start = now_ms // step_ms * step_ms
    first_start = last_start - (seconds * 1000 // step_ms - 1) * step_ms
    # The end is exclusive in the core; an event stamped exactly now belongs to the window.
    end = _at_ms(now_ms + 1)
    return Window(seconds, step, TimeRange(_at_ms(first_start), end), TimeRange(_at_ms(last_start), end))


def source(params: Mapping[str, str], required: bool) -> Source | None:
    value = params.get("source")
    if value is None or value == "":
        if required:
            raise QueryError("source", "source is required: cdn or p2p")
        return None
    if value not in SOURCES:
        raise QueryError("source", f"source {value!r} is not one of cdn, p2p")
    return value


def _integer(params: Mapping[str, str], name: str) -> int | None:
    text = params.get(name)
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        raise QueryError(name, f"{name} must be a whole number, not {text!r}") from None
    if abs(value) > 1_000_000_000:  # a huge page number overflowed the answer (500)
        raise QueryError(name, f"{name} must be at most 1000000000")
    return value


def page(params: Mapping[str, str], level: Level) -> Page | None:
    """The requested page (from 0), or None for the plain list. ``bitrate`` / ``representation_id``
    on a stream summary answer the plain list, as the seed marks them "(not paginated)"."""
    per_page, number = _integer(params, "per_page"), _integer(params, "page")
    if per_page is not None and per_page <= 0:
        raise QueryError("per_page", "per_page must be a positive number")
    if number is not None and number < 0:
        raise QueryError("page", "page must be 0 or more (pages count from 0)")
    if per_page is None and number is None:
        return None
    if level.stream_id is not None and (params.get("bitrate") or params.get("representation_id")):
        return None
    return Page(number or 0, per_page or DEFAULT_PER_PAGE)


def level_filters(level: Level, params: Mapping[str, str]) -> tuple[Filter, ...]:
    """Path filters; ``bitrate`` and ``representation_id`` apply on the stream level only."""
    filters: list[Filter] = []
    if level.channel_id is not None:
        filters.append(Filter("channel_id", (level.channel_id,)))
    if level.stream_id is not None:
        filters.append(Filter("stream_id", (level.stream_id,)))
        for param, dimension in (("bitrate", "bitrate_kbps"), ("representation_id", "representation_id")):
            value = params.get(param)
            if value:
                filters.append(Filter(dimension, (value,)))
    return tuple(filters)


def summary_queries(
    scope: Scope, level: Level, params: Mapping[str, str], now: datetime, *, per_entity: bool,
) -> tuple[Query, Query, Page | None]:
    """(totals per entity, devices and viewing time per entity × delivery, the page asked for).

    Throughput is the window's average: the rate divides by W. The page is cut from the
    totals; the per-delivery rows are looked up by entity."""
    w = window(params, now)
    wanted = page(params, level) if per_entity else None
    dims = level.entity if per_entity else ()
    filters = level_filters(level, params)
    totals = Query(
        scope=scope, metrics=SUMMARY_TOTALS, time=w.points, dimensions=dims, filters=filters,
        rate_seconds=float(w.seconds),
        limit=wanted.size if wanted else None, offset=wanted.number * wanted.size if wanted else 0,
    )
    by_delivery = Query(
        scope=scope, metrics=SUMMARY_BY_DELIVERY, time=w.points, dimensions=(*dims, "delivery"),
        filters=filters,
    )
    return totals, by_delivery, wanted


def stat_query(
    scope: Scope, level: Level, params: Mapping[str, str], now: datetime, stat: Stat, *, last_point: bool,
) -> tuple[Query, Source | None]:
    """The timeseries of one statistics endpoint (only its last point with ``last_point``)."""
    w = window(params, now)
    chosen = source(params, required=stat.source != "optional")
    return Query(
        scope=scope,
        metrics=(stat.metric_for(chosen),),
        time=w.last if last_point else w.points,
        dimensions=(stat.devices,) if stat.devices else (),
        filters=level_filters(level, params),
        bucket=w.step,
        source=None if stat.source == "metric" else chosen,
    ), chosen
