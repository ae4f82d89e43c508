"""The vendor's statistics endpoints, one row each: where it is served, what it asks the Query
core for, and how its answer is keyed and rounded (seed 002, "System/Devices Statistics").

Every row is served at three levels (account, ``/channels/{channel_id}``,
``/channels/{channel_id}/streams/{stream_id}``), each with and without ``/last_point``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SourceRule = Literal["metric", "sessions", "optional"]


@dataclass(frozen=True)
class Stat:
    """One statistics endpoint.

    ``source``: ``metric`` — required, picks the traffic metric (``bytes_cdn`` or ``bytes_p2p`` of
    all sessions); ``sessions`` — required, keeps the sessions whose latest delivery is it;
    ``optional`` — may be given, then as ``sessions``. ``devices`` names the vendor vocabulary
    dimension of a device statistic (points hold ``{value: distinct active views}``).
    """

    paths: tuple[str, ...]
    metric: str
    key: str
    source: SourceRule
    scale: float = 1.0
    digits: int = 0
    devices: str | None = None

    def metric_for(self, source: str | None) -> str:
        return self.metric.format(source=source)

    def key_for(self, source: str | None) -> str:
        return self.key.format(source=source)


LEVELS: tuple[str, ...] = ("", "/channels/{channel_id}", "/channels/{channel_id}/streams/{stream_id}")

STATS: tuple[Stat, ...] = (
    # Throughput in kbps: bytes × 8 ÷ the point's full length ÷ 1000 (CONTRACT §4).
    Stat(("/stats/throughput/agg",), "bandwidth_{source}_bps", "agg_throughput_{source}", "metric",
         scale=0.001),
    Stat(("/stats/buffer_health/avg",), "avg_buffer_ms", "avg_buffer_health_{source}", "sessions"),
    Stat(("/stats/rebuffering/ratio",), "rebuffering_ratio", "rebuffering_ratio", "optional", digits=2),
    # The seed spells the last_point path in the singular; both spellings are served.
    Stat(("/stats/content_request_response_times/avg", "/stats/content_request_response_time/avg"),
         "avg_request_rtt_ms", "avg_content_request_response_times_{source}", "sessions"),
    Stat(("/stats/buffer_filling_rate/avg",), "avg_buffer_fill_rate", "avg_buffer_filling_rate_{source}",
         "sessions", digits=2),
    Stat(("/stats/dropped_frames/avg",), "avg_dropped_frames", "avg_dropped_frames_{source}", "sessions",
         digits=2),
    Stat(("/stats/os",), "active_views", "operating_systems", "optional", devices="s73_os"),
    Stat(("/stats/platforms",), "active_views", "platforms", "optional", devices="s73_platform"),
    Stat(("/stats/connection_types",), "active_views", "connection_types", "optional",
         devices="s73_connection"),
)
