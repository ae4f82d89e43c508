"""Buffering (time played / buffered in ms), and the /platforms and /streams listings."""

from __future__ import annotations

from tests.conftest import Account
from tests.surfaces.streamroot.conftest import Post, at, event, fixed, ok, view


def buffering_events() -> list[dict[str, object]]:
    return [
        *view("a", 0),
        event("a", 1, played_ms=60_000, rebuffer_ms=1_500),
        event("a", 7, played_ms=40_000),
        event("b", 8, "view_start", delivery="not_compatible", played_ms=5_000, rebuffer_ms=250),
        event("a", 11, played_ms=1_000_000),  # after the range
    ]


def test_buffering_summary(account: Account, post: Post) -> None:
    account.send(buffering_events())
    body = ok(post(account, "buffering", fixed(0, 10)))
    assert body == {"srKey": account.id, "played": 105_000, "buffered": 1_750}


def test_buffering_timeseries(account: Account, post: Post) -> None:
    account.send(buffering_events())
    body = ok(post(account, "buffering/timeseries", fixed(0, 10, interval="5m")))
    assert body == {
        "srKey": account.id,
        "played": [[at(0), 60_000], [at(5), 45_000]],
        "buffered": [[at(0), 1_500], [at(5), 250]],
    }


def test_buffering_of_an_empty_range_is_zero(account: Account, post: Post) -> None:
    body = ok(post(account, "buffering", fixed(0, 10)))
    assert body == {"srKey": account.id, "played": 0, "buffered": 0}


def listing_events() -> list[dict[str, object]]:
    return [
        *view("a", 1, 2, platform="android-native", stream_uri="live/sports.m3u8"),
        *view("b", 2, platform="ios-native", stream_uri="vod/film.m3u8", content_type="vod"),
        # Views without the mesh technology are listed too.
        *view("c", 3, platform="smart-tv", stream_uri="live/news.m3u8", delivery="not_compatible"),
        *view("d", 4),  # no platform known: web-desktop; no stream
        *view("e", 30, platform="chromecast", stream_uri="live/late.m3u8"),  # after the range
    ]


def test_platforms(account: Account, post: Post) -> None:
    account.send(listing_events())
    body = ok(post(account, "platforms", fixed(0, 10, contentType="all")))
    assert body.keys() == {"srKey", "platforms"} and body["srKey"] == account.id
    assert sorted(body["platforms"]) == ["android-native", "ios-native", "smart-tv", "web-desktop"]
    assert ok(post(account, "platforms", fixed(0, 10, contentType="vod")))["platforms"] == ["ios-native"]


def test_streams(account: Account, post: Post) -> None:
    account.send(listing_events())
    body = ok(post(account, "streams", fixed(0, 10)))
    assert body.keys() == {"srKey", "streams"} and body["srKey"] == account.id
    assert sorted(body["streams"]) == ["live/news.m3u8", "live/sports.m3u8", "vod/film.m3u8"]
    body = ok(post(account, "streams", fixed(0, 10, platform="android-native")))
    assert body["streams"] == ["live/sports.m3u8"]


def test_listings_of_an_empty_range(account: Account, post: Post) -> None:
    assert ok(post(account, "platforms", fixed(0, 10)))["platforms"] == []
    assert ok(post(account, "streams", fixed(0, 10)))["streams"] == []
