"""The built-in API proxy: identical calls for closed days come from the cache, until events for
those days arrive; today is never cached; cached calls still count against the daily limit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mediastats.surfaces.wmspanel.cache import DayCache, epoch_day, install_day_cache
from tests.conftest import Account, Clock, Server
from tests.surfaces.wmspanel.wms import stats, views, wms_get

RANGE = {"from": "2024-04-01", "to": "2024-04-30"}


@pytest.fixture
def cache(server: Server) -> DayCache:
    return install_day_cache(server.services)


def test_identical_closed_day_calls_are_served_from_the_cache(account: Account, cache: DayCache) -> None:
    account.send(views("2024-04-10T10:00:00Z", 2))
    first = wms_get(account, "players_stats", **RANGE)
    hits = cache.hits
    again = wms_get(account, "players_stats", **RANGE)
    assert cache.hits == hits + 1
    assert again.content == first.content
    assert again.json()["stats"] == [{"date": "2024-04-10", "Unknown": 2, "Flash": 0}]
    # Other parameters, endpoint or slice: another entry.
    wms_get(account, "devices_stats", **RANGE)
    wms_get(account, "players_stats", server="edge-1", **RANGE)
    assert cache.hits == hits + 1


def test_events_for_a_cached_day_invalidate_it(account: Account, cache: DayCache) -> None:
    account.send(views("2024-04-10T10:00:00Z"))
    assert stats(account, "players_stats", **RANGE) == [{"date": "2024-04-10", "Unknown": 1, "Flash": 0}]
    account.send(views("2024-04-12T10:00:00Z", protocol="RTMP"))
    assert stats(account, "players_stats", **RANGE) == [
        {"date": "2024-04-10", "Unknown": 1, "Flash": 0},
        {"date": "2024-04-12", "Unknown": 0, "Flash": 1},
    ]


def test_events_for_other_days_or_accounts_keep_the_entry(account: Account, make_account: type,
                                                          cache: DayCache) -> None:
    account.send(views("2024-04-10T10:00:00Z"))
    stats(account, "players_stats", **RANGE)
    account.send(views("2024-05-02T10:00:00Z"))  # after the range
    make_account("other").send(views("2024-04-10T10:00:00Z"))  # another account
    hits = cache.hits
    assert stats(account, "players_stats", **RANGE) == [{"date": "2024-04-10", "Unknown": 1, "Flash": 0}]
    assert cache.hits == hits + 1


def test_today_is_never_cached(account: Account, clock: Clock, cache: DayCache) -> None:
    clock.set(datetime(2025, 1, 15, 12, 0, tzinfo=UTC))
    today = {"from": "2025-01-14", "to": "2025-01-15"}
    account.send(views("2025-01-15T11:00:00Z"))
    assert stats(account, "players_stats", **today) == [{"date": "2025-01-15", "Unknown": 1, "Flash": 0}]
    hits = cache.hits
    assert stats(account, "players_stats", **today) == [{"date": "2025-01-15", "Unknown": 1, "Flash": 0}]
    assert cache.hits == hits
    # The next day, the same range is closed and may be cached.
    clock.set(datetime(2025, 1, 16, 0, 0, 1, tzinfo=UTC))
    stats(account, "players_stats", **today)
    stats(account, "players_stats", **today)
    assert cache.hits == hits + 1


def test_a_session_running_into_today_invalidates_yesterdays_daily_stats(
    account: Account, clock: Clock, cache: DayCache
) -> None:
    """A view started yesterday that goes on today lengthens yesterday's span classes; its
    start day (players_stats) stays as it is."""
    clock.set(datetime(2025, 2, 2, 12, 0, tzinfo=UTC))
    yesterday = {"from": "2025-02-01", "to": "2025-02-01"}
    account.send([
        {"ts": "2025-02-01T23:59:50Z", "type": "view_start", "session_id": "late"},
        {"ts": "2025-02-01T23:59:55Z", "type": "heartbeat", "session_id": "late", "played_ms": 5000},
    ])
    before = stats(account, "daily_stats", **yesterday)
    assert (before[0]["l10s"], before[0]["l15m"]) == (1, 0)
    stats(account, "players_stats", **yesterday)
    account.send([{"ts": "2025-02-02T00:09:00Z", "type": "heartbeat", "session_id": "late", "played_ms": 5000}])
    hits = cache.hits
    after = stats(account, "daily_stats", **yesterday)
    assert (after[0]["l10s"], after[0]["l15m"]) == (0, 1)
    assert cache.hits == hits
    assert stats(account, "players_stats", **yesterday) == [{"date": "2025-02-01", "Unknown": 1, "Flash": 0}]
    assert cache.hits == hits + 1


def test_cached_calls_count_against_the_limit(account: Account) -> None:
    account.patch(daily_api_limit=2)
    assert wms_get(account, "players_stats", **RANGE).status_code == 200
    assert wms_get(account, "players_stats", **RANGE).status_code == 200
    assert wms_get(account, "players_stats", **RANGE).status_code == 429


# --- the cache itself --------------------------------------------------------------------------
D = datetime(2024, 4, 10, tzinfo=UTC)
DAY_S = int(D.timestamp())


def _row(day_offset: int, session: str = "", kind: str = "heartbeat") -> dict[str, object]:
    return {"ts": DAY_S + day_offset * 86_400 + 3600, "session_id": session, "type": kind}


def test_an_answer_computed_while_its_days_changed_is_not_kept() -> None:
    cache = DayCache()
    since = cache.mark()
    cache.observe("acc", [_row(0)])  # events for the day arrive while the query runs
    assert not cache.put("k", "acc", b"stale", D.date(), D.date(), spans=False, since=since)
    assert cache.get("k") is None
    since = cache.mark()
    cache.observe("other", [_row(0)])  # another account
    cache.observe("acc", [_row(5)])  # another day
    assert cache.put("k", "acc", b"fresh", D.date(), D.date(), spans=False, since=since)
    assert cache.get("k") == b"fresh"


def test_when_the_log_no_longer_reaches_back_nothing_is_kept() -> None:
    cache = DayCache(log_size=2)
    since = cache.mark()
    for offset in (7, 8, 9):
        cache.observe("acc", [_row(offset)])
    assert not cache.put("k", "acc", b"x", D.date(), D.date(), spans=False, since=since)


def test_span_days_reach_back_to_the_sessions_start() -> None:
    cache = DayCache()
    start = D.date()
    cache.put("spans", "acc", b"s", start, start, spans=True, since=cache.mark())
    cache.put("starts", "acc", b"v", start, start, spans=False, since=cache.mark())
    cache.observe("acc", [_row(0, "s1", "view_start")])
    assert cache.get("spans") is None and cache.get("starts") is None
    cache.put("spans", "acc", b"s", start, start, spans=True, since=cache.mark())
    cache.put("starts", "acc", b"v", start, start, spans=False, since=cache.mark())
    cache.observe("acc", [_row(2, "s1")])  # the session goes on two days later
    assert cache.get("spans") is None
    assert cache.get("starts") == b"v"
    # An earlier event moves the session's start: the old start day loses a view.
    cache.observe("acc", [_row(-1, "s1")])
    assert cache.get("starts") is None


def test_a_session_seen_without_its_start_may_have_started_the_day_before() -> None:
    cache = DayCache()
    yesterday = datetime.fromtimestamp(DAY_S - 86_400, tz=UTC).date()
    cache.put("spans", "acc", b"s", yesterday, yesterday, spans=True, since=cache.mark())
    cache.observe("acc", [_row(0, "unknown-session")])
    assert cache.get("spans") is None


def test_capacity_evicts_the_least_recently_used() -> None:
    cache = DayCache(capacity=2)
    for key in ("a", "b"):
        cache.put(key, "acc", key.encode(), D.date(), D.date(), spans=False, since=cache.mark())
    cache.get("a")
    cache.put("c", "acc", b"c", D.date(), D.date(), spans=False, since=cache.mark())
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"a", None, b"c")
    assert len(cache) == 2
    assert epoch_day(D.date()) == DAY_S // 86_400
