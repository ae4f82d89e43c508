"""Every statistics endpoint × level × ``/last_point`` (seed 002 "System/Devices Statistics").

Expected points are counted by hand from dataset.py for ``time=live`` at NOW: keys are the
seconds past 11:59:00 of a 5 s point's start (60 = 12:00:00, the last, partial point); every
other point is 0 (or ``{}`` for device counts). Rates divide by the point's full 5 s.
Levels: ``account``; ``channel`` = ch1 (a, b, d); ``stream`` = ch1/s1 with ``bitrate=4000`` (a, d).
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest

from tests.surfaces.system73.dataset import NOW, live_points, ms

LEVEL_PATHS = {
    "account": ("/system73", {}),
    "channel": ("/system73/channels/ch1", {}),
    "stream": ("/system73/channels/ch1/streams/s1", {"bitrate": "4000"}),
}

# (path, source, key, {level: {second: value}})
SERIES: list[tuple[str, str | None, str, dict[str, dict[int, Any]]]] = [
    # cdn bytes @45: a 750000 + b 375000 → 1125000 × 8 / 5 s = 1800 kbps; @50: a 750000 → 1200;
    # @60: c 150000 → 240. Traffic counts bytes of all views, whatever their delivery.
    ("/stats/throughput/agg", "cdn", "agg_throughput_cdn",
     {"account": {45: 1800, 50: 1200, 60: 240}, "channel": {45: 1800, 50: 1200}, "stream": {45: 1200, 50: 1200}}),
    ("/stats/throughput/agg", "p2p", "agg_throughput_p2p",
     {"account": {45: 2400}, "channel": {45: 2400}, "stream": {}}),
    # Buffer health of the views whose latest delivery is the source: cdn @45 mean(a 1000, d 2000).
    ("/stats/buffer_health/avg", "cdn", "avg_buffer_health_cdn",
     {"account": {45: 1500, 50: 3000}, "channel": {45: 1500, 50: 3000}, "stream": {45: 1500, 50: 3000}}),
    ("/stats/buffer_health/avg", "p2p", "avg_buffer_health_p2p",
     {"account": {45: 500}, "channel": {45: 500}, "stream": {}}),
    # Rebuffering @45: 1000 / (played 5000 + 1000 + 4000 + buffered 1000) = 0.0909 → 0.09.
    ("/stats/rebuffering/ratio", None, "rebuffering_ratio",
     {"account": {45: 0.09}, "channel": {45: 0.09}, "stream": {}}),
    # p2p views only (b): 1000 / (4000 + 1000) = 0.2.
    ("/stats/rebuffering/ratio", "p2p", "rebuffering_ratio",
     {"account": {45: 0.2}, "channel": {45: 0.2}, "stream": {}}),
    ("/stats/rebuffering/ratio", "cdn", "rebuffering_ratio", {"account": {}, "channel": {}, "stream": {}}),
    ("/stats/content_request_response_times/avg", "cdn", "avg_content_request_response_times_cdn",
     {"account": {45: 25, 50: 40}, "channel": {45: 25, 50: 40}, "stream": {45: 25, 50: 40}}),
    ("/stats/content_request_response_times/avg", "p2p", "avg_content_request_response_times_p2p",
     {"account": {45: 10}, "channel": {45: 10}, "stream": {}}),
    ("/stats/content_request_response_time/avg", "cdn", "avg_content_request_response_times_cdn",
     {"account": {45: 25, 50: 40}, "channel": {45: 25, 50: 40}, "stream": {45: 25, 50: 40}}),
    # Fill rate cdn @45: mean(a 1.5, d 0.5) = 1.0.
    ("/stats/buffer_filling_rate/avg", "cdn", "avg_buffer_filling_rate_cdn",
     {"account": {45: 1.0, 50: 2.5}, "channel": {45: 1.0, 50: 2.5}, "stream": {45: 1.0, 50: 2.5}}),
    ("/stats/buffer_filling_rate/avg", "p2p", "avg_buffer_filling_rate_p2p",
     {"account": {45: 0.5}, "channel": {45: 0.5}, "stream": {}}),
    # Dropped frames cdn @45: mean(a 2, d 1) = 1.5; @50: a 0.
    ("/stats/dropped_frames/avg", "cdn", "avg_dropped_frames_cdn",
     {"account": {45: 1.5}, "channel": {45: 1.5}, "stream": {45: 1.5}}),
    ("/stats/dropped_frames/avg", "p2p", "avg_dropped_frames_p2p",
     {"account": {45: 1}, "channel": {45: 1}, "stream": {}}),
]

# Devices: distinct views active in the point (a 41–51, d 42–47, b 41–46, c 56–61).
_OS_CH1 = {40: {"MAC": 2, "WINDOWS": 1}, 45: {"MAC": 2, "WINDOWS": 1}, 50: {"MAC": 1}}
_PLATFORMS_CH1 = {40: {"CHROME": 2, "FIREFOX": 1}, 45: {"CHROME": 2, "FIREFOX": 1}, 50: {"CHROME": 1}}
_CONN_CH1 = {40: {"WIFI": 2, "ETHERNET": 1}, 45: {"WIFI": 2, "ETHERNET": 1}, 50: {"WIFI": 1}}
DEVICES: list[tuple[str, str | None, str, dict[str, dict[int, Any]]]] = [
    ("/stats/os", None, "operating_systems", {
        "account": {**_OS_CH1, 55: {"ANDROID": 1}, 60: {"ANDROID": 1}},
        "channel": _OS_CH1,
        "stream": {40: {"MAC": 2}, 45: {"MAC": 2}, 50: {"MAC": 1}},
    }),
    ("/stats/os", "p2p", "operating_systems", {
        "account": {40: {"WINDOWS": 1}, 45: {"WINDOWS": 1}},
        "channel": {40: {"WINDOWS": 1}, 45: {"WINDOWS": 1}},
        "stream": {},
    }),
    ("/stats/platforms", None, "platforms", {
        "account": {**_PLATFORMS_CH1, 55: {"ANDROID": 1}, 60: {"ANDROID": 1}},
        "channel": _PLATFORMS_CH1,
        "stream": {40: {"CHROME": 1, "FIREFOX": 1}, 45: {"CHROME": 1, "FIREFOX": 1}, 50: {"CHROME": 1}},
    }),
    ("/stats/platforms", "cdn", "platforms", {
        "account": {40: {"CHROME": 1, "FIREFOX": 1}, 45: {"CHROME": 1, "FIREFOX": 1}, 50: {"CHROME": 1}},
        "channel": {40: {"CHROME": 1, "FIREFOX": 1}, 45: {"CHROME": 1, "FIREFOX": 1}, 50: {"CHROME": 1}},
        "stream": {40: {"CHROME": 1, "FIREFOX": 1}, 45: {"CHROME": 1, "FIREFOX": 1}, 50: {"CHROME": 1}},
    }),
    ("/stats/connection_types", None, "connection_types", {
        "account": {**_CONN_CH1, 55: {"CELLULAR": 1}, 60: {"CELLULAR": 1}},
        "channel": _CONN_CH1,
        "stream": {40: {"WIFI": 2}, 45: {"WIFI": 2}, 50: {"WIFI": 1}},
    }),
]


def _cases(table: list[tuple[str, str | None, str, dict[str, dict[int, Any]]]], empty: Any) -> list[Any]:
    return [
        pytest.param(path, source, key, level, points, empty, id=f"{path}-{source}-{level}")
        for path, source, key, by_level in table
        for level, points in by_level.items()
    ]


def _get(client: httpx.Client, level: str, path: str, source: str | None, last: bool) -> httpx.Response:
    prefix, extra = LEVEL_PATHS[level]
    params = {"time": "live", **extra, **({"source": source} if source else {})}
    return client.get(f"{prefix}{path}{'/last_point' if last else ''}", params=params)


@pytest.mark.parametrize(("path", "source", "key", "level", "points", "empty"), _cases(SERIES, 0) + _cases(DEVICES, {}))
def test_every_point_of_the_window(
    s73: httpx.Client, path: str, source: str | None, key: str, level: str, points: dict[int, Any], empty: Any
) -> None:
    r = _get(s73, level, path, source, last=False)
    assert r.status_code == 200, r.text
    expected = [{"datetime": ms(second), key: points.get(second, empty)} for second in range(5, 65, 5)]
    assert [p["datetime"] for p in r.json()] == live_points()
    assert r.json() == expected


@pytest.mark.parametrize(("path", "source", "key", "level", "points", "empty"), _cases(SERIES, 0) + _cases(DEVICES, {}))
def test_last_point_is_the_partial_bucket_holding_now(
    s73: httpx.Client, path: str, source: str | None, key: str, level: str, points: dict[int, Any], empty: Any
) -> None:
    r = _get(s73, level, path, source, last=True)
    assert r.status_code == 200, r.text
    assert r.json() == [{"datetime": ms(60), key: points.get(60, empty)}]


def test_bitrate_and_representation_apply_only_on_the_stream_level(s73: httpx.Client) -> None:
    params = {"time": "live", "source": "cdn", "bitrate": "2000"}
    account = s73.get("/system73/stats/throughput/agg", params=params).json()
    stream = s73.get("/system73/channels/ch1/streams/s1/stats/throughput/agg", params=params).json()
    by_rep = s73.get(
        "/system73/channels/ch1/streams/s1/stats/throughput/agg",
        params={"time": "live", "source": "cdn", "representation_id": "1 of 4"},
    ).json()
    assert account[8]["agg_throughput_cdn"] == 1800  # ignored: a + b
    assert stream[8]["agg_throughput_cdn"] == 600  # b only: 375000 × 8 / 5 s
    assert by_rep == stream


def test_last_point_of_a_one_hour_window(s73: httpx.Client) -> None:
    # time=1h: 1-minute points; the last is 12:00 (c's heartbeat at 12:00:01: 150000 B × 8 / 60 s).
    r = s73.get("/system73/stats/throughput/agg/last_point", params={"time": "1h", "source": "cdn"})
    assert r.json() == [{"datetime": ms(60), "agg_throughput_cdn": 20}]


@pytest.mark.parametrize(
    ("time", "step_s", "count"),
    [("live", 5, 12), ("10m", 10, 60), ("1h", 60, 60), ("24h", 300, 288), ("1w", 3600, 168), ("1M", 21600, 120)],
)
def test_window_points_are_aligned_steps_ending_at_now(
    s73: httpx.Client, time: str, step_s: int, count: int
) -> None:
    r = s73.get("/system73/stats/os", params={"time": time})
    points = [p["datetime"] for p in r.json()]
    now_ms = int(NOW.timestamp() * 1000)
    step = step_s * 1000
    assert len(points) == count
    assert points[-1] == now_ms // step * step
    assert all(b - a == step for a, b in itertools.pairwise(points))
    last = s73.get("/system73/stats/os/last_point", params={"time": time}).json()
    assert [p["datetime"] for p in last] == [points[-1]]


def test_ten_minute_window_sums_ten_second_points(s73: httpx.Client) -> None:
    # 10 s points: 11:59:40 holds a@46 750000 + b@46 375000 → 900 kbps; 11:59:50 holds a@51 → 600;
    # 12:00:00 holds c@61 150000 → 120.
    body = s73.get("/system73/stats/throughput/agg", params={"time": "10m", "source": "cdn"}).json()
    nonzero = {p["datetime"]: p["agg_throughput_cdn"] for p in body if p["agg_throughput_cdn"]}
    assert nonzero == {ms(40): 900, ms(50): 600, ms(60): 120}
