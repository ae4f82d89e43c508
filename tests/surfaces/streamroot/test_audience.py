"""Audience: concurrent mesh viewers over 2-minute buckets (seed "Audience", CONTRACT §4, §6).

Expected values are counted by hand from the events below, bucket by bucket.
"""

from __future__ import annotations

from tests.conftest import Account
from tests.surfaces.streamroot.conftest import Post, at, event, fixed, ok, view


def mesh_views() -> list[dict[str, object]]:
    """Active 2-minute buckets (0 = [T0, T0+2m), 1 = [2m, 4m) …) of each view:

    A cdn              0.5 … 5.2   buckets 0, 1, 2
    B cdn, then p2p    1 … 2.5     buckets 0, 1      (latest delivery p2p: counted)
    C p2p, then not_compatible 1 … 9                 (latest not_compatible: left out)
    D cdn              8.5         bucket 4
    E not_compatible   3                             (left out)

    so the 2-minute counts over [0, 10) are [2, 2, 1, 0, 1].
    """
    return [
        *view("A", 0.5, 3, 5.2, delivery="cdn"),
        event("B", 1, "view_start", delivery="cdn"), event("B", 2.5, delivery="p2p"),
        event("C", 1, "view_start", delivery="p2p"), event("C", 9, delivery="not_compatible"),
        *view("D", 8.5, delivery="cdn"),
        *view("E", 3, delivery="not_compatible"),
    ]


def test_summary_max_average_95th(account: Account, post: Post) -> None:
    account.send(mesh_views())
    body = ok(post(account, "audience", fixed(0, 10, contentType="all")))
    # [2, 2, 1, 0, 1]: max 2, mean 6 / 5 = 1.2 → 1, p95 = v⌈0.95·5⌉ = v5 of [0, 1, 1, 2, 2] = 2.
    assert body == {"srKey": account.id, "max": 2, "average": 1, "audience95th": 2}


def test_summary_counts_empty_buckets_as_zero(account: Account, post: Post) -> None:
    account.send(mesh_views())
    body = ok(post(account, "audience", fixed(0, 20)))
    # Ten buckets [2, 2, 1, 0, 1, 0, 0, 0, 0, 0]: mean 0.6 → 1, p95 = v10 = 2.
    assert body == {"srKey": account.id, "max": 2, "average": 1, "audience95th": 2}


def test_95th_percentile_by_nearest_rank(account: Account, post: Post) -> None:
    # Three viewers in bucket 0 and two in bucket 5, over 20 buckets (40 minutes).
    account.send([*view("a", 0.1), *view("b", 0.2), *view("c", 0.3), *view("d", 10.5), *view("e", 11)])
    body = ok(post(account, "audience", fixed(0, 40)))
    # Sorted: 18 zeros, 2, 3. p95 = v⌈19⌉ = 2; max 3; mean 5 / 20 = 0.25 → 0.
    assert body == {"srKey": account.id, "max": 3, "average": 0, "audience95th": 2}


def test_timeseries_point_is_the_peak_of_its_2_minute_buckets(account: Account, post: Post) -> None:
    account.send(mesh_views())
    body = ok(post(account, "audience/timeseries", fixed(0, 12, interval="4m")))
    # 2-minute counts [2, 2, 1, 0, 1, 0] → 4-minute points max(2, 2), max(1, 0), max(1, 0).
    assert body == {"srKey": account.id, "audience": [[at(0), 2], [at(4), 1], [at(8), 1]]}


def test_timeseries_lists_empty_intervals_as_zero(account: Account, post: Post) -> None:
    account.send(mesh_views())
    body = ok(post(account, "audience/timeseries", fixed(0, 30, interval="10m")))
    assert body["audience"] == [[at(0), 2], [at(10), 0], [at(20), 0]]


def test_timeseries_default_interval_is_5_minutes(account: Account, post: Post) -> None:
    account.send(mesh_views())
    body = ok(post(account, "audience/timeseries", fixed(0, 10)))
    # The 2-minute points that start in [0, 5) are 0, 2, 4 → max(2, 2, 1); in [5, 10): 6, 8 → max(0, 1).
    assert body["audience"] == [[at(0), 2], [at(5), 1]]


def test_timeseries_interval_shorter_than_2_minutes(account: Account, post: Post) -> None:
    account.send(mesh_views())
    body = ok(post(account, "audience/timeseries", fixed(0, 4, interval="1m")))
    # Per minute: A from 0.5, B from 1 to 2.5, A again: [1, 2, 2, 1].
    assert body["audience"] == [[at(0), 1], [at(1), 2], [at(2), 2], [at(3), 1]]


def two_streams() -> list[dict[str, object]]:
    return [
        *view("x", 0, 3, stream_uri="live/a.m3u8", platform="android-native", content_type="vod"),
        *view("y", 1, stream_uri="live/b.m3u8", delivery="p2p", content_type="live"),
        *view("z", 1, stream_uri="live/b.m3u8", delivery="not_compatible", content_type="live"),
    ]


def test_filters_content_platform_and_content_type(account: Account, post: Post) -> None:
    account.send(two_streams())

    def peak(**more: object) -> int:
        return int(ok(post(account, "audience", fixed(0, 10, **more)))["max"])

    assert peak() == 2
    assert peak(contentType="all") == 2
    assert peak(content="live/a.m3u8") == 1
    assert peak(content="live/b.m3u8") == 1  # z does not run the mesh technology
    assert peak(content="nothing.m3u8") == 0
    assert peak(platform="android-native") == 1
    assert peak(platform="web-desktop") == 1
    assert peak(contentType="vod") == 1
    assert peak(contentType="live") == 1
    assert peak(contentType="vod", content="live/b.m3u8") == 0
    series = ok(post(account, "audience/timeseries", fixed(0, 10, content="live/a.m3u8", interval="10m")))
    assert series["audience"] == [[at(0), 1]]
