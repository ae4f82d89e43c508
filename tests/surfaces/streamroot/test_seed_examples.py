"""The seed's request examples, answered with the keys and timestamps its response examples print."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Account
from tests.surfaces.streamroot.conftest import Post, ok

SEED_RANGE = {"from": "1584441300000", "to": "1584527700000"}

# endpoint → (seed request body, keys of the seed's response example)
EXAMPLES: dict[str, tuple[dict[str, Any], set[str]]] = {
    "audience": ({**SEED_RANGE, "contentType": "all", "platform": "web-desktop"},
                 {"srKey", "max", "average", "audience95th"}),
    "audience/timeseries": ({**SEED_RANGE, "interval": "10m", "content": "mainContent/myVODstream.m3u8"},
                            {"srKey", "audience"}),
    "traffic": ({**SEED_RANGE, "contentType": "all"}, {"srKey", "cdn", "p2p"}),
    "traffic/timeseries": ({**SEED_RANGE, "interval": "10m", "contentType": "all"}, {"SrKey", "p2p", "cdn"}),
    "bandwidth": ({**SEED_RANGE, "contentType": "all"},
                  {"srKey", "p2pAvegage", "p2pAverage", "cdnMax", "p2pMax", "max", "p2p95th"}),
    "bandwidth/timeseries": ({**SEED_RANGE, "interval": "10m", "contentType": "all"}, {"SrKey", "p2p", "cdn"}),
    "buffering": ({**SEED_RANGE, "contentType": "all"}, {"srKey", "played", "buffered"}),
    "buffering/timeseries": ({**SEED_RANGE, "interval": "10m", "contentType": "all"},
                             {"srKey", "played", "buffered"}),
    "platforms": ({**SEED_RANGE, "contentType": "all"}, {"srKey", "platforms"}),
    "streams": ({**SEED_RANGE, "contentType": "all"}, {"srKey", "streams"}),
}


@pytest.mark.parametrize("endpoint", list(EXAMPLES))
def test_seed_request_gets_the_seed_response_shape(account: Account, post: Post, endpoint: str) -> None:
    request, keys = EXAMPLES[endpoint]
    body = ok(post(account, endpoint, request))
    assert set(body) == keys
    assert body.get("srKey", body.get("SrKey")) == account.id
    for key, value in body.items():
        if key.lower() == "srkey":
            continue
        if endpoint.endswith("/timeseries"):
            # 10-minute points from the one holding 'from', as the seed's examples start: 1584441000000, …
            assert value[:3] == [[1584441000000, 0], [1584441600000, 0], [1584442200000, 0]]
            assert len(value) == 145 and value[-1][0] == 1584527400000
        elif endpoint in ("platforms", "streams"):
            assert value == []
        else:
            assert value == 0


def test_seed_since_and_date_examples(account: Account, post: Post) -> None:
    assert ok(post(account, "audience", {"since": "16h", "contentType": "all"}))["max"] == 0
    assert ok(post(account, "traffic", {"from": "2020-01-28", "to": "2020-01-29", "contentType": "live"}))["cdn"] == 0
    assert ok(post(account, "traffic", {"from": "1584441900000", "to": "1584528300000", "contentType": "vod"}))


def test_daily_points_start_at_utc_midnight_as_the_buffering_example(account: Account, post: Post) -> None:
    body = ok(post(account, "buffering/timeseries", {**SEED_RANGE, "interval": "1d"}))
    assert [p[0] for p in body["played"]] == [1584403200000, 1584489600000]
