"""Traffic (bytes) and bandwidth (bits/s over 5-minute buckets), over all views (CONTRACT §4, §6)."""

from __future__ import annotations

from tests.conftest import Account
from tests.surfaces.streamroot.conftest import Post, at, event, fixed, ok, view


def traffic_events() -> list[dict[str, object]]:
    return [
        *view("p", 0),
        event("p", 1, bytes_cdn=1000, bytes_p2p=3000),
        event("p", 6, bytes_cdn=500),
        # A view without the mesh technology still counts in traffic.
        event("q", 2, "view_start", delivery="not_compatible", bytes_cdn=700),
        event("p", 12, bytes_cdn=10000),
    ]


def test_traffic_summary(account: Account, post: Post) -> None:
    account.send(traffic_events())
    body = ok(post(account, "traffic", fixed(0, 10, contentType="all")))
    assert body == {"srKey": account.id, "cdn": 1000 + 500 + 700, "p2p": 3000}


def test_traffic_timeseries(account: Account, post: Post) -> None:
    account.send(traffic_events())
    body = ok(post(account, "traffic/timeseries", fixed(0, 15, interval="5m")))
    assert body == {
        "SrKey": account.id,
        "p2p": [[at(0), 3000], [at(5), 0], [at(10), 0]],
        "cdn": [[at(0), 1700], [at(5), 500], [at(10), 10000]],
    }


def bandwidth_events() -> list[dict[str, object]]:
    """Bytes per 5-minute bucket: 0: cdn 300 000, p2p 75 000; 1: cdn 37 500, p2p 375 000; 2: cdn 150 000."""
    return [
        *view("v", 0),
        event("v", 1, bytes_cdn=300_000, bytes_p2p=75_000),
        event("v", 7, bytes_cdn=37_500, bytes_p2p=375_000),
        event("w", 12, "view_start", delivery="not_compatible", bytes_cdn=150_000),
    ]


def test_bandwidth_summary(account: Account, post: Post) -> None:
    account.send(bandwidth_events())
    body = ok(post(account, "bandwidth", fixed(0, 15)))
    # bits/s = bytes × 8 / 300: cdn [8000, 1000, 4000], p2p [2000, 10000, 0], total [10000, 11000, 4000].
    assert body == {
        "srKey": account.id,
        "p2pAvegage": 4000,
        "p2pAverage": 4000,
        "cdnMax": 8000,
        "p2pMax": 10000,
        "max": 11000,
        "p2p95th": 10000,  # v⌈0.95·3⌉ = v3
    }


def test_bandwidth_95th_percentile_and_empty_buckets(account: Account, post: Post) -> None:
    account.send([*view("v", 0), event("v", 1, bytes_p2p=3_000_000), event("v", 36, bytes_p2p=1_500_000)])
    body = ok(post(account, "bandwidth", fixed(0, 100)))
    # Twenty 5-minute buckets: p2p 80 000 in bucket 0, 40 000 in bucket 7, 0 elsewhere.
    assert body == {
        "srKey": account.id,
        "p2pAvegage": 6000,  # 120 000 / 20
        "p2pAverage": 6000,
        "cdnMax": 0,
        "p2pMax": 80000,
        "max": 80000,
        "p2p95th": 40000,  # sorted: 18 zeros, 40 000, 80 000 → v19
    }


def test_bandwidth_timeseries_is_the_mean_over_each_interval(account: Account, post: Post) -> None:
    account.send([*bandwidth_events(), event("v", 13, bytes_p2p=1000)])
    body = ok(post(account, "bandwidth/timeseries", fixed(0, 20, interval="10m")))
    assert body == {
        "SrKey": account.id,
        # (75 000 + 375 000) × 8 / 600; 1000 × 8 / 600 = 13.333…
        "p2p": [[at(0), 6000.0], [at(10), 13.33]],
        # (300 000 + 37 500) × 8 / 600; 150 000 × 8 / 600
        "cdn": [[at(0), 4500.0], [at(10), 2000.0]],
    }


def test_bandwidth_timeseries_default_interval(account: Account, post: Post) -> None:
    account.send(bandwidth_events())
    body = ok(post(account, "bandwidth/timeseries", fixed(0, 15)))
    assert body["cdn"] == [[at(0), 8000.0], [at(5), 1000.0], [at(10), 4000.0]]
    assert body["p2p"] == [[at(0), 2000.0], [at(5), 10000.0], [at(10), 0.0]]


def test_traffic_filters(account: Account, post: Post) -> None:
    account.send([
        event("a", 1, "view_start", stream_uri="vod/a.m3u8", content_type="vod", bytes_cdn=10),
        event("b", 1, "view_start", stream_uri="live/b.m3u8", platform="ios-native", bytes_cdn=200),
        event("b", 2, bytes_p2p=3000),
    ])

    def cdn_p2p(**more: object) -> tuple[int, int]:
        body = ok(post(account, "traffic", fixed(0, 10, **more)))
        return body["cdn"], body["p2p"]

    assert cdn_p2p() == (210, 3000)
    assert cdn_p2p(contentType="vod") == (10, 0)
    assert cdn_p2p(contentType="live") == (200, 3000)
    assert cdn_p2p(content="live/b.m3u8") == (200, 3000)
    assert cdn_p2p(platform="ios-native") == (200, 3000)
    assert cdn_p2p(platform="web-desktop") == (10, 0)
