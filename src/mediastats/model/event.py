"""The event format of CONTRACT §3, as a msgspec struct.

msgspec validates types, enums and the non-negative measures while decoding, and its error
messages name the field (``Expected `int` >= 0 - at `$.played_ms```), which is what the ingest
answer must say for a rejected event.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

EventType = Literal[
    "view_start",
    "heartbeat",
    "view_end",
    "ad_opportunity",
    "ad_request",
    "ad_response",
    "ad_asset",
    "ad_impression",
    "server_sync",
    "stream_publish",
    "stream_unpublish",
]
SESSION_EVENT_TYPES = frozenset(
    {
        "view_start",
        "heartbeat",
        "view_end",
        "ad_opportunity",
        "ad_request",
        "ad_response",
        "ad_asset",
        "ad_impression",
    }
)
AD_EVENT_TYPES = ("ad_opportunity", "ad_request", "ad_response", "ad_asset", "ad_impression")
SERVER_EVENT_TYPES = frozenset({"server_sync", "stream_publish", "stream_unpublish"})

Delivery = Literal["cdn", "p2p", "not_compatible"]
ContentType = Literal["live", "vod"]
PublishType = Literal["push", "pull"]

NonNegInt = Annotated[int, msgspec.Meta(ge=0)]
NonNegFloat = Annotated[float, msgspec.Meta(ge=0)]


class Event(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=False):
    """One incoming event. ``None`` means the client did not send the field."""

    ts: str | int
    type: EventType
    event_id: str | None = None
    session_id: str | None = None
    viewer_id: str | None = None
    server_id: str | None = None
    server_name: str | None = None
    channel_id: str | None = None
    stream_id: str | None = None
    stream_uri: str | None = None
    content_id: str | None = None
    content_name: str | None = None
    series_name: str | None = None
    studio: str | None = None
    content_type: ContentType | None = None
    bitrate_kbps: NonNegInt | None = None
    representation_id: str | None = None
    delivery: Delivery | None = None
    ip: str | None = None
    user_agent: str | None = None
    player: str | None = None
    browser: str | None = None
    os: str | None = None
    device_type: str | None = None
    device_name: str | None = None
    platform: str | None = None
    connection_type: str | None = None
    country: str | None = None
    city: str | None = None
    protocol: str | None = None
    played_ms: NonNegInt | None = None
    rebuffer_ms: NonNegInt | None = None
    bytes_cdn: NonNegInt | None = None
    bytes_p2p: NonNegInt | None = None
    dropped_frames: NonNegInt | None = None
    buffer_ms: NonNegFloat | None = None
    buffer_fill_rate: NonNegFloat | None = None
    request_rtt_ms: NonNegFloat | None = None
    ad_tag: str | None = None
    ad_id: str | None = None
    ad_duration_ms: NonNegFloat | None = None
    remote_ip: str | None = None
    publish_type: PublishType | None = None


# Fields that describe the session (CONTRACT §3): the earliest event carrying one sets it.
SESSION_ATTRIBUTES = (
    "viewer_id",
    "server_id",
    "server_name",
    "channel_id",
    "stream_id",
    "stream_uri",
    "content_id",
    "content_name",
    "series_name",
    "studio",
    "content_type",
    "ip",
    "user_agent",
    "player",
    "browser",
    "os",
    "device_type",
    "device_name",
    "platform",
    "connection_type",
    "country",
    "city",
    "protocol",
)
# Session attributes where the latest value wins instead.
LATEST_WINS_ATTRIBUTES = ("delivery", "bitrate_kbps", "representation_id")
