"""Real user agents (and RTMP playback) → WMSPanel player and device keys (CONTRACT §5),
through ingest and players_stats / devices_stats: one view per case, each on its own day."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import Account
from tests.surfaces.wmspanel.wms import stats, views

# (user agent, protocol, WMSPanel player, WMSPanel device)
CASES: list[tuple[str, str, str, str]] = [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
     "Safari/537.36", "HLS", "Chrome", "Windows"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
     "Safari/605.1.15", "HLS", "Safari", "Macintosh"),
    ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "DASH", "Firefox", "Linux"),
    ("Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko", "HLS", "MSIE", "Windows"),
    ("Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)", "HLS", "MSIE", "Windows"),
    # Legacy (EdgeHTML) Edge counts as MSIE, Chromium Edge as Edge.
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 "
     "Safari/537.36 Edge/18.19582", "HLS", "MSIE", "Windows"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
     "Safari/537.36 Edg/124.0.2478.51", "HLS", "Edge", "Windows"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
     "Safari/537.36 OPR/109.0.0.0", "HLS", "Opera", "Windows"),
    ("VLC/3.0.20 LibVLC/3.0.20", "HLS", "VLC", "Unknown"),
    ("Roku/DVP-12.5 (12.5.0.4178-51)", "HLS", "Roku", "SmartTV"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.4 Mobile/15E148 Safari/604.1", "HLS", "Safari", "iPhone"),
    ("Mozilla/5.0 (iPod touch; CPU iPhone OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/12.1.2 Mobile/15E148 Safari/604.1", "HLS", "Safari", "iPod"),
    ("AppleCoreMedia/1.0.0.21E236 (iPad; U; CPU OS 17_4 like Mac OS X; en_us)", "HLS", "Unknown", "iPad"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 "
     "Mobile Safari/537.36", "HLS", "Chrome", "Android"),
    ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
     "Safari/537.36", "DASH", "Chrome", "ChromeOS"),
    ("Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0.3809.146/6.0 "
     "TV Safari/537.36", "HLS", "Chrome", "SmartTV"),
    ("AppleCoreMedia/1.0.0.21L227 (Apple TV; U; CPU OS 17_1 like Mac OS X; en_us)", "HLS", "Unknown", "SmartTV"),
    ("Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7633) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/108.0.0.0 Mobile Safari/537.36", "HLS", "Chrome", "SmartTV"),
    # RTMP playback is Flash, whatever the client says.
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
     "Safari/537.36", "RTMP", "Flash", "Windows"),
    ("", "RTMP", "Flash", "Unknown"),
    ("", "HLS", "Unknown", "Unknown"),
    ("curl/8.5.0", "HLS", "Unknown", "Unknown"),
]
FIRST = date(2023, 1, 1)


def _expected(kind: int, always: tuple[str, ...]) -> list[dict[str, int | str]]:
    out = []
    for i, case in enumerate(CASES):
        entry: dict[str, int | str] = {"date": (FIRST + timedelta(days=i)).isoformat(), **dict.fromkeys(always, 0)}
        entry[case[kind]] = 1
        out.append(entry)
    return out


def test_user_agents_map_to_wmspanel_players_and_devices(account: Account) -> None:
    events = []
    for i, (ua, protocol, _, _) in enumerate(CASES):
        fields = {"protocol": protocol, **({"user_agent": ua} if ua else {})}
        events += views(f"{FIRST + timedelta(days=i)}T12:00:00Z", **fields)
    account.send(events)
    last = (FIRST + timedelta(days=len(CASES) - 1)).isoformat()
    span = {"from": FIRST.isoformat(), "to": last}
    assert stats(account, "players_stats", **span) == _expected(2, ("Unknown", "Flash"))
    assert stats(account, "devices_stats", **span) == _expected(3, ("Unknown",))


def test_explicit_values_in_any_vocabulary_spelling(account: Account) -> None:
    """Explicit fields spelled as any vocabulary spells them are understood (CONTRACT §3)."""
    day = "2023-03-01"
    account.send([
        *views(f"{day}T10:00:00Z", os="MAC"),  # System73's spelling
        *views(f"{day}T10:00:00Z", os="Apple OS X"),  # Amagi's
        *views(f"{day}T10:00:00Z", player="msie", os="windows"),
        *views(f"{day}T10:00:00Z", device_type="Smart TV"),
        *views(f"{day}T10:00:00Z", player="SomethingElse", os="BeOS"),
    ])
    span = {"from": day, "to": day}
    assert stats(account, "players_stats", **span) == [{"date": day, "Unknown": 4, "Flash": 0, "MSIE": 1}]
    assert stats(account, "devices_stats", **span) == [
        {"date": day, "Unknown": 1, "Macintosh": 2, "SmartTV": 1, "Windows": 1}]
