"""Summaries at the three levels, plain, paginated, empty and aggregated (seed 002 "Summary").

Golden numbers from the dataset (see dataset.py), by hand, for ``time=live`` (W = 60 s):
throughput = bytes × 8 ÷ 60 ÷ 1000 kbps; devices = distinct views active in the window by
their latest delivery; viewing times = played ms ÷ 1000 s.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.conftest import Account, Clock
from tests.surfaces.system73.dataset import NOW, URI, ms

# ch1: cdn bytes 750000 + 750000 + 375000 = 1875000 → 250 kbps; p2p 1500000 → 200 kbps.
# Viewing: cdn a 10 s + d 1 s = 11 s, p2p b 4 s. Devices: a, d cdn; b p2p.
CH1 = {
    "cdn_throughput": 250, "p2p_throughput": 200, "total_throughput": 450,
    "cdn_devices": 2, "p2p_devices": 1, "not_compatible_devices": 0,
    "cdn_viewing_time": 11, "p2p_viewing_time": 4, "total_viewing_time": 15,
}
# ch2: cdn bytes 150000 → 20 kbps; one not_compatible view, 1 s played (neither cdn nor p2p).
CH2 = {
    "cdn_throughput": 20, "p2p_throughput": 0, "total_throughput": 20,
    "cdn_devices": 0, "p2p_devices": 0, "not_compatible_devices": 1,
    "cdn_viewing_time": 0, "p2p_viewing_time": 0, "total_viewing_time": 1,
}
# Stream ch1/s1 per rendition: 2000 is b (375000 cdn → 50 kbps, 1500000 p2p → 200 kbps);
# 4000 is a and d (1500000 cdn → 200 kbps).
R2000 = {
    "bitrate": "2000", "representation_id": "1 of 4",
    "cdn_throughput": 50, "p2p_throughput": 200, "total_throughput": 250,
    "cdn_devices": 0, "p2p_devices": 1, "not_compatible_devices": 0,
    "cdn_viewing_time": 0, "p2p_viewing_time": 4, "total_viewing_time": 4,
}
R4000 = {
    "bitrate": "4000", "representation_id": "2 of 4",
    "cdn_throughput": 200, "p2p_throughput": 0, "total_throughput": 200,
    "cdn_devices": 2, "p2p_devices": 0, "not_compatible_devices": 0,
    "cdn_viewing_time": 11, "p2p_viewing_time": 0, "total_viewing_time": 11,
}
EMPTY = [{"total_pages": 0, "page": 0, "results": []}]


def test_account_summary_lists_channels_with_pretty_time(s73: httpx.Client) -> None:
    r = s73.get("/system73/summary", params={"time": "live"})
    assert r.status_code == 200, r.text
    assert r.json() == [
        {"channel_id": "ch1", **CH1, "total_pretty_viewing_time": "0:00:15"},
        {"channel_id": "ch2", **CH2, "total_pretty_viewing_time": "0:00:01"},
    ]


def test_channel_summary_lists_streams(s73: httpx.Client) -> None:
    r = s73.get("/system73/channels/ch1/summary", params={"time": "live"})
    assert r.json() == [{"stream_id": "s1", "stream_uri": URI, **CH1, "total_pretty_viewing_time": "0:00:15"}]


def test_stream_summary_lists_renditions(s73: httpx.Client) -> None:
    r = s73.get("/system73/channels/ch1/streams/s1/summary", params={"time": "live"})
    assert r.json() == [
        {**R2000, "total_pretty_viewing_time": "0:00:04"},
        {**R4000, "total_pretty_viewing_time": "0:00:11"},
    ]


@pytest.mark.parametrize(
    ("params", "rows"),
    [
        ({"bitrate": "4000"}, [R4000]),
        ({"representation_id": "1 of 4"}, [R2000]),
        ({"bitrate": "4000", "representation_id": "1 of 4"}, []),
        # "(not paginated)": the filters answer the plain list even when a page is asked for.
        ({"bitrate": "2000", "per_page": "5", "page": "0"}, [R2000]),
    ],
)
def test_stream_summary_filters(s73: httpx.Client, params: dict[str, str], rows: list[dict[str, object]]) -> None:
    r = s73.get("/system73/channels/ch1/streams/s1/summary", params={"time": "live", **params})
    pretty = {"2000": "0:00:04", "4000": "0:00:11"}
    expected = [{**row, "total_pretty_viewing_time": pretty[str(row["bitrate"])]} for row in rows]
    assert r.json() == (expected or EMPTY)


def test_pages_wrap_results_without_pretty_time(s73: httpx.Client) -> None:
    first = s73.get("/system73/summary", params={"time": "live", "per_page": "1", "page": "0"})
    second = s73.get("/system73/summary", params={"time": "live", "per_page": "1", "page": "1"})
    both = s73.get("/system73/summary", params={"time": "live", "per_page": "5", "page": "0"})
    assert first.json() == [{"total_pages": 2, "page": 0, "results": [{"channel_id": "ch1", **CH1}]}]
    assert second.json() == [{"total_pages": 2, "page": 1, "results": [{"channel_id": "ch2", **CH2}]}]
    assert both.json() == [
        {"total_pages": 1, "page": 0, "results": [{"channel_id": "ch1", **CH1}, {"channel_id": "ch2", **CH2}]}
    ]


def test_page_past_the_end_is_empty_results(s73: httpx.Client) -> None:
    r = s73.get("/system73/summary", params={"time": "live", "per_page": "1", "page": "2"})
    assert r.status_code == 200
    assert r.json() == [{"total_pages": 2, "page": 2, "results": []}]


def test_page_alone_uses_the_default_page_size(s73: httpx.Client) -> None:
    r = s73.get("/system73/channels/ch1/summary", params={"time": "live", "page": "0"})
    assert r.json() == [{"total_pages": 1, "page": 0, "results": [{"stream_id": "s1", "stream_uri": URI, **CH1}]}]


@pytest.mark.parametrize(
    "path",
    [
        "/system73/channels/nope/summary",
        "/system73/channels/nope/streams/s1/summary",
        "/system73/channels/ch1/streams/nope/summary",
    ],
)
def test_unknown_channel_or_stream_is_the_empty_shape(s73: httpx.Client, path: str) -> None:
    assert s73.get(path, params={"time": "live"}).json() == EMPTY
    paged = s73.get(path, params={"time": "live", "per_page": "5", "page": "0"})
    assert paged.json() == EMPTY


def test_account_without_data_is_the_empty_shape(make_account: Callable[..., Account], clock: Clock) -> None:
    clock.set(NOW)
    fresh = make_account()
    with fresh.server.client(headers={"Authorization": fresh.api_key}) as c:
        assert c.get("/system73/summary", params={"time": "24h"}).json() == EMPTY


def test_aggregate_at_account_level(s73: httpx.Client) -> None:
    # cdn 1875000 + 150000 = 2025000 bytes → 270 kbps; p2p 200; devices 2 cdn, 1 p2p, 1 n/c;
    # viewing 11 + 4 + 1 (the not_compatible view) = 16 s.
    r = s73.get("/system73/summary/agg", params={"time": "live"})
    assert r.json() == [{
        "aggregate": "aggregate",
        "cdn_throughput": 270, "p2p_throughput": 200, "total_throughput": 470,
        "cdn_devices": 2, "p2p_devices": 1, "not_compatible_devices": 1,
        "cdn_viewing_time": 11, "p2p_viewing_time": 4, "total_viewing_time": 16,
        "total_pretty_viewing_time": "0:00:16",
    }]


@pytest.mark.parametrize(
    ("path", "params", "fields", "pretty"),
    [
        ("/system73/channels/ch1/summary/agg", {}, CH1, "0:00:15"),
        ("/system73/channels/ch2/summary/agg", {}, CH2, "0:00:01"),
        ("/system73/channels/ch1/streams/s1/summary/agg", {}, CH1, "0:00:15"),
        ("/system73/channels/ch1/streams/s1/summary/agg", {"bitrate": "4000"},
         {k: v for k, v in R4000.items() if k not in ("bitrate", "representation_id")}, "0:00:11"),
    ],
)
def test_aggregate_at_channel_and_stream_level(
    s73: httpx.Client, path: str, params: dict[str, str], fields: dict[str, object], pretty: str
) -> None:
    r = s73.get(path, params={"time": "live", **params})
    assert r.json() == [{"aggregate": "aggregate", **fields, "total_pretty_viewing_time": pretty}]


def test_aggregate_of_an_unknown_channel_is_zeros(s73: httpx.Client) -> None:
    r = s73.get("/system73/channels/nope/summary/agg", params={"time": "live"})
    zeros = {k: 0 for k in CH1}
    assert r.json() == [{"aggregate": "aggregate", **zeros, "total_pretty_viewing_time": "0:00:00"}]


def test_summary_throughput_divides_by_the_window(s73: httpx.Client) -> None:
    # time=1h: W = 3600 s. cdn 2025000 B → 4.5 kbps → 5; p2p 1500000 B → 3.33 → 3; total 7.83 → 8.
    # Devices and viewing time do not depend on W.
    r = s73.get("/system73/summary/agg", params={"time": "1h"})
    body = r.json()[0]
    assert (body["cdn_throughput"], body["p2p_throughput"], body["total_throughput"]) == (5, 3, 8)
    assert (body["cdn_devices"], body["p2p_devices"], body["not_compatible_devices"]) == (2, 1, 1)
    assert body["total_viewing_time"] == 16


def test_pretty_time_counts_hours(make_account: Callable[..., Account], clock: Clock) -> None:
    clock.set(NOW)
    account = make_account()
    # 26 h 3 min 7 s played within the last 24 h window's span (one view, played_ms deltas).
    account.send([
        {"ts": ms(0), "type": "view_start", "session_id": "long", "channel_id": "x"},
        {"ts": ms(30), "type": "heartbeat", "session_id": "long", "played_ms": (26 * 3600 + 3 * 60 + 7) * 1000},
    ])
    with account.server.client(headers={"Authorization": account.api_key}) as c:
        body = c.get("/system73/summary", params={"time": "24h"}).json()
    assert body[0]["total_viewing_time"] == 93787
    assert body[0]["total_pretty_viewing_time"] == "26:03:07"
