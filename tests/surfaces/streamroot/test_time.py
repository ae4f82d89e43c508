"""Time: ``since`` windows ending now, whole UTC days, exact ms, default and explicit intervals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import Account, Clock
from tests.surfaces.streamroot.conftest import T0, Post, at, event, fixed, ms, ok, view

NOW = T0 + timedelta(hours=2, minutes=7, seconds=30)  # 12:07:30


def minutes_before_now(minutes: float) -> int:
    return ms(NOW - timedelta(minutes=minutes))


def test_since_window_points_and_summary(account: Account, post: Post, clock: Clock) -> None:
    clock.set(NOW)
    account.send([
        event("a", 98, "view_start", bytes_cdn=100),  # 11:38, before the first bucket
        event("a", 101, bytes_cdn=200),  # 11:41
        event("a", 110, bytes_p2p=900),  # 11:50
        event("a", 127, bytes_cdn=400),  # 12:07
    ])
    body = ok(post(account, "traffic/timeseries", {"since": "30m"}))
    # 30m ÷ 5m (the default step) = 6 points aligned to 5 minutes, the last holding now (12:05).
    starts = [at(100 + 5 * i) for i in range(6)]
    assert [p[0] for p in body["cdn"]] == starts
    assert [p[1] for p in body["cdn"]] == [200, 0, 0, 0, 0, 400]
    assert [p[1] for p in body["p2p"]] == [0, 0, 900, 0, 0, 0]
    assert ok(post(account, "traffic", {"since": "30m"})) == {"srKey": account.id, "cdn": 600, "p2p": 900}
    # The summary's rate divides by W: 900 × 8 / 1800 s.
    assert ok(post(account, "bandwidth", {"since": "30m"}))["p2pAverage"] == 4


def test_since_audience(account: Account, post: Post, clock: Clock) -> None:
    clock.set(NOW)
    account.send(view("a", 119, 127))  # 11:59 … 12:07
    # 10m ÷ 5m = 2 points: 12:00 (the view is active in all of it) and 12:05 (holds now).
    series = ok(post(account, "audience/timeseries", {"since": "10m"}))
    assert series["audience"] == [[at(120), 1], [at(125), 1]]
    assert ok(post(account, "audience", {"since": "10m"}))["max"] == 1


def test_since_default_steps(account: Account, post: Post, clock: Clock) -> None:
    clock.set(NOW)

    def starts(since: str, **more: object) -> list[int]:
        return [p[0] for p in ok(post(account, "traffic/timeseries", {"since": since, **more}))["cdn"]]

    five = starts("16h")
    assert len(five) == 192 and five[-1] == at(125) and five[0] == at(125) - 191 * 300_000
    hours = starts("3d")  # over 2 days: hourly
    assert len(hours) == 72 and hours[-1] == at(120)
    days = starts("15d")  # over 14 days: daily, aligned to UTC midnight
    midnight = ms(datetime(2025, 3, 2, tzinfo=UTC))
    assert len(days) == 15 and days[-1] == midnight and days[0] == midnight - 14 * 86_400_000
    assert starts("1h", interval="10m") == [at(70 + 10 * i) for i in range(6)]
    assert len(starts("90s")) == 1


def test_dates_are_whole_utc_days_to_inclusive(account: Account, post: Post) -> None:
    day = datetime(2025, 3, 2, tzinfo=UTC)
    account.send([
        {"ts": ms(day), "type": "view_start", "session_id": "a", "bytes_cdn": 1},
        {"ts": ms(day + timedelta(hours=23, minutes=59, seconds=59)), "type": "heartbeat", "session_id": "a",
         "bytes_cdn": 20},
        {"ts": ms(day + timedelta(days=1)), "type": "heartbeat", "session_id": "a", "bytes_cdn": 300},
        {"ts": ms(day - timedelta(seconds=1)), "type": "heartbeat", "session_id": "z", "bytes_cdn": 4000},
    ])
    body = ok(post(account, "traffic", {"from": "2025-03-02", "to": "2025-03-02"}))
    assert body["cdn"] == 21
    assert ok(post(account, "traffic", {"from": "2025-03-01", "to": "2025-03-03"}))["cdn"] == 4321
    series = ok(post(account, "traffic/timeseries", {"from": "2025-03-02", "to": "2025-03-02"}))["cdn"]
    assert len(series) == 288 and series[0] == [ms(day), 1] and series[-1][1] == 20


def test_ms_timestamps_are_exact_from_included_to_excluded(account: Account, post: Post) -> None:
    account.send([event("a", 0, "view_start", bytes_cdn=1), event("a", 10, bytes_cdn=20)])
    assert ok(post(account, "traffic", fixed(0, 10)))["cdn"] == 1
    assert ok(post(account, "traffic", {"from": at(0), "to": at(10) + 1}))["cdn"] == 21  # JSON numbers too
    assert ok(post(account, "traffic", {"from": "2025-03-02", "to": str(at(10))}))["cdn"] == 1


def test_default_interval_by_range_length(account: Account, post: Post) -> None:
    def points(start: str, end: str) -> int:
        return len(ok(post(account, "buffering/timeseries", {"from": start, "to": end}))["played"])

    assert points("2025-03-01", "2025-03-02") == 2 * 288  # 2 days: 5 minutes
    assert points("2025-03-01", "2025-03-03") == 3 * 24  # up to 14 days: 1 hour
    assert points("2025-03-01", "2025-03-14") == 14 * 24
    assert points("2025-03-01", "2025-03-15") == 15  # else 1 day


def test_explicit_intervals(account: Account, post: Post) -> None:
    account.send([*view("a", 0), event("a", 20, played_ms=7)])

    def played(interval: str, start: float = 0, end: float = 60) -> list[list[int]]:
        return list(ok(post(account, "buffering/timeseries", fixed(start, end, interval=interval)))["played"])

    assert played("30m") == [[at(0), 7], [at(30), 0]]
    assert played("1800s") == [[at(0), 7], [at(30), 0]]
    assert played("1h") == [[at(0), 7]]
    # A day point starts at UTC midnight, as the seed's buffering example shows.
    assert played("1d", 0, 24 * 60) == [[at(-600), 7], [at(840), 0]]
    # Weeks start on Monday (CONTRACT §4), days at UTC midnight, hours on multiples of the step.
    assert played("4w") == [[ms(datetime(2025, 2, 24, tzinfo=UTC)), 7]]
    assert played("28d") == [[at(-600), 7]]
    assert played("672h") == [[ms(datetime(2025, 2, 13, tzinfo=UTC)), 7]]
