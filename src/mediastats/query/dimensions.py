"""Dimensions a Query may group or filter by.

Most are session attributes (CONTRACT §3): stored on every event row (filled at ingest) and
merged per session from the sessions table. ``ad_tag`` exists only on events, ``span_class``
(WMSPanel's view-duration classes) only on sessions.
"""

from __future__ import annotations

from dataclasses import dataclass

from mediastats.query.errors import unknown_name


@dataclass(frozen=True)
class Dimension:
    name: str
    doc: str
    on_events: bool = True
    on_sessions: bool = True


def _d(name: str, doc: str, on_events: bool = True, on_sessions: bool = True) -> Dimension:
    return Dimension(name, doc, on_events, on_sessions)


# View-duration classes of the WMSPanel daily statistics: (upper bound in ms, name).
SPAN_CLASSES: tuple[tuple[int | None, str], ...] = (
    (5_000, "l5s"), (10_000, "l10s"), (15_000, "l15s"), (20_000, "l20s"), (25_000, "l25s"),
    (30_000, "l30s"), (300_000, "l5m"), (900_000, "l15m"), (1_800_000, "l30m"), (3_600_000, "l1h"),
    (7_200_000, "l2h"), (10_800_000, "l3h"), (None, "g3h"),
)

DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        _d("channel_id", "Channel."),
        _d("stream_id", "Stream within a channel."),
        _d("stream_uri", "Manifest URL of the stream."),
        _d("server_id", "Media server / edge that served the view."),
        _d("server_name", "Name of that server."),
        _d("content_id", "Programme / content id."),
        _d("content_name", "Content title."),
        _d("series_name", "Series of the content."),
        _d("studio", "Studio."),
        _d("content_type", "live or vod."),
        _d("bitrate_kbps", "Rendition bitrate (events: the event's; sessions: the latest)."),
        _d("representation_id", "Rendition id."),
        _d("delivery", "cdn, p2p or not_compatible (sessions: the latest value)."),
        _d("protocol", "HLS, DASH, RTMP, SRT, …"),
        _d("player", "Player / browser family (canonical)."),
        _d("browser", "Browser (canonical)."),
        _d("os", "Operating system (canonical)."),
        _d("device_type", "Device type (canonical)."),
        _d("device_name", "Device name / model (canonical)."),
        _d("platform", "Platform (canonical)."),
        _d("connection_type", "Connection type (canonical)."),
        _d("country", "Country (English short name)."),
        _d("city", "City (with a GeoIP2 city database)."),
        _d("wms_player", "WMSPanel player vocabulary."),
        _d("wms_device", "WMSPanel device vocabulary."),
        _d("s73_os", "System73 operating_systems vocabulary."),
        _d("s73_platform", "System73 platforms vocabulary."),
        _d("s73_connection", "System73 connection_types vocabulary."),
        _d("amagi_device_type", "Amagi device type vocabulary."),
        _d("amagi_device_name", "Amagi device name vocabulary."),
        _d("sr_platform", "Streamroot platform vocabulary."),
        _d("ad_tag", "Ad tag of ad_* events.", on_sessions=False),
        _d("span_class", "View duration class (l5s … g3h) of the view's active span.", on_events=False),
    )
}


def dimension(name: str, param: str = "dimensions") -> Dimension:
    if name not in DIMENSIONS:
        raise unknown_name(param, "dimension", name, DIMENSIONS)
    return DIMENSIONS[name]
