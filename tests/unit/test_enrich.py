"""Enrichment with real user agents: every vendor column, geo, explicit overrides, the UA cache."""

from __future__ import annotations

import ipaddress
import pathlib
import struct
from collections.abc import Iterator
from typing import Any

import pytest

from mediastats.ingest import enrich as enrich_module
from mediastats.ingest.enrich import CANONICAL_COLUMNS, VENDOR_COLUMNS, Enricher, UAFacts

UA = {
    "iphone_safari": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
                     "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "ipad_safari": "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                   "Version/16.6 Mobile/15E148 Safari/604.1",
    "ipod_safari": "Mozilla/5.0 (iPod touch; CPU iPhone OS 15_7 like Mac OS X) AppleWebKit/605.1.15 "
                   "(KHTML, like Gecko) Version/15.7 Mobile/15E148 Safari/604.1",
    "ios_app_avplayer": "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4_1 like Mac OS X; en_us)",
    "windows_chrome": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                      "Chrome/124.0.0.0 Safari/537.36",
    "windows_edge": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
    "windows_edge18": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                      "Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045",
    "ie11": "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "windows_opera": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/123.0.0.0 Safari/537.36 OPR/109.0.0.0",
    "macos_safari": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                    "(KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "macos_firefox": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:125.0) Gecko/20100101 Firefox/125.0",
    "linux_firefox": "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "android_chrome": "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
                      "Chrome/112.0.0.0 Mobile Safari/537.36",
    "android_exoplayer": "MyApp/1.0 (Linux; U; Android 12; Pixel 6 Build/SQ3A.220705.003) "
                         "ExoPlayerLib/2.18.7",
    "android_webview": "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) "
                       "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 "
                       "Mobile Safari/537.36",
    "roku": "Roku/DVP-12.5 (12.5.0.4178-AE)",
    "fire_tv": "Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7633.3445N; wv) AppleWebKit/537.36 "
               "(KHTML, like Gecko) Version/4.0 Chrome/118.0.5993.144 Mobile Safari/537.36",
    "fire_tv_native": "Dalvik/2.1.0 (Linux; U; Android 9; AFTR Build/PS7624.3337N)",
    "samsung_tizen": "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36",
    "lg_webos": "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/79.0.3945.79 Safari/537.36 WebAppManager",
    "chromecast": "Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/89.0.4389.90 Safari/537.36 CrKey/1.56.500000 DeviceType/Chromecast",
    "apple_tv": "AppleCoreMedia/1.0.0.21L569 (Apple TV; U; CPU OS 17_4 like Mac OS X; en_us)",
    "vlc": "VLC/3.0.20 LibVLC/3.0.20",
    "chromeos": "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/124.0.0.0 Safari/537.36",
    "electron": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "MyPlayer/1.2.3 Chrome/120.0.6099.291 Electron/28.3.3 Safari/537.36",
    "googlebot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "empty": "",
}

VENDOR = ("wms_player", "wms_device", "s73_os", "s73_platform", "amagi_device_type", "amagi_device_name",
          "sr_platform")
# user agent → every vendor column but s73_connection (UNKNOWN throughout: user agents rarely say)
EXPECTED = {
    "iphone_safari": ("Safari", "iPhone", "IOS", "SAFARI", "Mobile Phone", "Apple iPhone", "web-mobile"),
    "ipad_safari": ("Safari", "iPad", "IOS", "SAFARI", "Tablet", "Apple iPad", "web-mobile"),
    "ipod_safari": ("Safari", "iPod", "IOS", "SAFARI", "Media Player", "Apple iPod", "web-mobile"),
    "ios_app_avplayer": ("Unknown", "iPhone", "IOS", "IOS", "Mobile Phone", "Apple iPhone", "ios-native"),
    "windows_chrome": ("Chrome", "Windows", "WINDOWS", "CHROME", "Desktop", "Windows Desktop", "web-desktop"),
    "windows_edge": ("Edge", "Windows", "WINDOWS", "EDGE", "Desktop", "Windows Desktop", "web-desktop"),
    "windows_edge18": ("MSIE", "Windows", "WINDOWS", "EDGE", "Desktop", "Windows Desktop", "web-desktop"),
    "ie11": ("MSIE", "Windows", "WINDOWS", "UNKNOWN", "Desktop", "Windows Desktop", "web-desktop"),
    "windows_opera": ("Opera", "Windows", "WINDOWS", "OPERA", "Desktop", "Windows Desktop", "web-desktop"),
    "macos_safari": ("Safari", "Macintosh", "MAC", "SAFARI", "Desktop", "Apple OS X", "web-desktop"),
    "macos_firefox": ("Firefox", "Macintosh", "MAC", "FIREFOX", "Desktop", "Apple OS X", "web-desktop"),
    "linux_firefox": ("Firefox", "Linux", "LINUX", "FIREFOX", "Desktop", "Desktop", "web-desktop"),
    "android_chrome": ("Chrome", "Android", "ANDROID", "CHROME", "Mobile Phone", "Samsung Mobile",
                       "web-mobile"),
    "android_exoplayer": ("Unknown", "Android", "ANDROID", "ANDROID", "Mobile Phone", "OthersMobile",
                          "android-native"),
    "android_webview": ("Chrome", "Android", "ANDROID", "ANDROID", "Mobile Phone", "OthersMobile",
                        "android-webview"),
    "roku": ("Roku", "SmartTV", "ROKU", "SMART_TV", "Roku", "Roku", "smart-tv"),
    "fire_tv": ("Chrome", "SmartTV", "ANDROID", "SMART_TV", "Smart TV", "Amazon Fire TV Stick", "smart-tv"),
    "fire_tv_native": ("Unknown", "SmartTV", "ANDROID", "SMART_TV", "Smart TV", "Amazon Fire TV", "smart-tv"),
    "samsung_tizen": ("Chrome", "SmartTV", "TIZEN", "SMART_TV", "Smart TV", "Samsung TV", "smart-tv"),
    "lg_webos": ("Chrome", "SmartTV", "WEBOS", "SMART_TV", "Smart TV", "LG TV", "smart-tv"),
    "chromecast": ("Chrome", "SmartTV", "LINUX", "SMART_TV", "Smart TV", "Google Chromecast", "chromecast"),
    "apple_tv": ("Unknown", "SmartTV", "TVOS", "SMART_TV", "Smart TV", "Apple TV", "smart-tv"),
    "vlc": ("VLC", "Unknown", "UNKNOWN", "UNKNOWN", "Others", "Others", "web-desktop"),
    "chromeos": ("Chrome", "ChromeOS", "CHROMEOS", "CHROME", "Desktop", "Desktop", "web-desktop"),
    "electron": ("Chrome", "Windows", "WINDOWS", "CHROME", "Desktop", "Windows Desktop", "desktop-electron"),
    "googlebot": ("Unknown", "Unknown", "UNKNOWN", "UNKNOWN", "Others", "Others", "web-desktop"),
    "empty": ("Unknown", "Unknown", "UNKNOWN", "UNKNOWN", "Others", "Others", "web-desktop"),
}
# user agent → canonical player, browser, os, device_type, platform
CANONICAL = {
    "iphone_safari": ("Safari", "Safari", "iOS", "smartphone", "web-mobile"),
    "windows_edge18": ("Edge Legacy", "Edge Legacy", "Windows", "desktop", "web-desktop"),
    "android_exoplayer": ("ExoPlayer", "", "Android", "smartphone", "android-native"),
    "apple_tv": ("AVPlayer", "", "tvOS", "smart-tv", "smart-tv"),
    "fire_tv": ("Chrome", "Chrome", "Fire OS", "smart-tv", "smart-tv"),
    "samsung_tizen": ("Samsung Internet", "Samsung Internet", "Tizen", "smart-tv", "smart-tv"),
    "vlc": ("VLC", "", "", "", ""),
    "electron": ("Electron", "Chrome", "Windows", "desktop", "desktop-electron"),
    "empty": ("", "", "", "", ""),
}


@pytest.fixture(scope="module")
def enricher() -> Iterator[Enricher]:
    with Enricher() as e:
        yield e


def run(e: Enricher, ua: str = "", ip: str = "", protocol: str = "HLS", **explicit: str) -> dict[str, str]:
    return e.enrich(user_agent=ua, ip=ip, protocol=protocol, explicit=explicit)


def test_expected_covers_every_user_agent() -> None:
    assert set(EXPECTED) == set(UA)


@pytest.mark.parametrize("name", sorted(UA))
def test_user_agent_to_every_vendor_column(enricher: Enricher, name: str) -> None:
    row = run(enricher, UA[name])
    assert set(row) == set(CANONICAL_COLUMNS) | set(VENDOR_COLUMNS)
    assert all(isinstance(v, str) for v in row.values())
    assert tuple(row[c] for c in VENDOR) == EXPECTED[name]
    assert row["s73_connection"] == "UNKNOWN"


@pytest.mark.parametrize("name", sorted(CANONICAL))
def test_user_agent_to_canonical_columns(enricher: Enricher, name: str) -> None:
    row = run(enricher, UA[name])
    assert (row["player"], row["browser"], row["os"], row["device_type"], row["platform"]) == CANONICAL[name]


def test_rtmp_playback_is_flash(enricher: Enricher) -> None:
    row = run(enricher, UA["windows_chrome"], protocol="RTMP")
    assert (row["player"], row["wms_player"], row["browser"]) == ("Flash", "Flash", "Chrome")
    assert run(enricher, "", protocol="rtmps")["wms_player"] == "Flash"
    assert run(enricher, UA["windows_chrome"], protocol="RTMP", player="VLC")["wms_player"] == "VLC"


@pytest.mark.parametrize(("ip", "country"), [
    ("8.8.8.8", "United States"), ("85.214.132.117", "Germany"), ("133.242.0.1", "Japan"),
    ("200.160.2.3", "Brazil"), ("2001:4860:4860::8888", "United States"), ("192.168.1.1", ""),
    ("10.0.0.1", ""), ("127.0.0.1", ""), ("::1", ""), ("not-an-ip", ""), ("300.1.1.1", ""), ("", ""),
])
def test_country_from_ip(enricher: Enricher, ip: str, country: str) -> None:
    row = run(enricher, UA["windows_chrome"], ip=ip)
    assert (row["country"], row["city"]) == (country, "")


# explicit fields → expected columns, over a Windows Chrome user agent
OVERRIDES: list[tuple[dict[str, str], dict[str, str]]] = [
    ({"os": "IOS"}, {"os": "iOS", "s73_os": "IOS", "wms_device": "iPhone"}),
    ({"os": "Apple OS X"}, {"os": "macOS", "s73_os": "MAC", "amagi_device_name": "Apple OS X"}),
    ({"os": "plan9"}, {"os": "plan9", "s73_os": "UNKNOWN", "wms_device": "Unknown",
                       "amagi_device_name": "Desktop"}),
    ({"platform": "android-native"}, {"platform": "android-native", "s73_platform": "ANDROID",
                                      "sr_platform": "android-native"}),
    ({"platform": "IOS"}, {"platform": "ios-native", "s73_platform": "IOS", "sr_platform": "ios-native"}),
    ({"platform": "SMART_TV"}, {"platform": "smart-tv", "s73_platform": "SMART_TV",
                                "sr_platform": "smart-tv"}),
    ({"platform": "FIREFOX"}, {"platform": "web-desktop", "browser": "Firefox", "player": "Firefox",
                               "s73_platform": "FIREFOX", "wms_player": "Firefox"}),
    ({"platform": "teletext"}, {"platform": "teletext", "s73_platform": "UNKNOWN",
                                "sr_platform": "web-desktop"}),
    ({"connection_type": "WIFI"}, {"connection_type": "wifi", "s73_connection": "WIFI"}),
    ({"connection_type": "ethernet"}, {"s73_connection": "ETHERNET"}),
    ({"connection_type": "LTE"}, {"s73_connection": "CELLULAR"}),
    ({"connection_type": "carrier pigeon"}, {"s73_connection": "UNKNOWN"}),
    ({"device_type": "Smart TV"}, {"device_type": "smart-tv", "wms_device": "SmartTV", "platform": "smart-tv",
                                   "s73_platform": "SMART_TV", "amagi_device_type": "Smart TV",
                                   "amagi_device_name": "OthersTV", "sr_platform": "smart-tv"}),
    ({"device_type": "SMART_TV"}, {"device_type": "smart-tv", "wms_device": "SmartTV"}),
    ({"device_type": "TV"}, {"amagi_device_type": "TV", "amagi_device_name": "Set Top Box TV"}),
    ({"device_type": "Tablet"}, {"platform": "web-mobile", "amagi_device_name": "OthersTablet"}),
    ({"device_type": "Roku"}, {"wms_device": "SmartTV", "amagi_device_type": "Roku", "s73_os": "WINDOWS"}),
    ({"device_type": "hoverboard"}, {"wms_device": "Unknown", "amagi_device_type": "Others"}),
    ({"device_name": "Samsung TV"}, {"amagi_device_type": "Smart TV", "amagi_device_name": "Samsung TV"}),
    ({"player": "MSIE"}, {"player": "Internet Explorer", "wms_player": "MSIE", "s73_platform": "CHROME"}),
    ({"player": "vlc"}, {"player": "VLC", "wms_player": "VLC"}),
    ({"player": "hls.js"}, {"player": "hls.js", "wms_player": "Unknown"}),
    ({"browser": "Mobile Safari"}, {"browser": "Safari", "player": "Safari", "s73_platform": "SAFARI"}),
    ({"country": "DE", "city": "Berlin"}, {"country": "Germany", "city": "Berlin"}),
    ({"country": "Japan"}, {"country": "Japan"}),
    ({"os": "Unknown"}, {"os": "", "s73_os": "UNKNOWN"}),
    ({"os": "  "}, {"os": "Windows"}),
]


@pytest.mark.parametrize(("explicit", "expected"), OVERRIDES)
def test_explicit_values_win(enricher: Enricher, explicit: dict[str, str], expected: dict[str, str]) -> None:
    row = run(enricher, UA["windows_chrome"], ip="8.8.8.8", **explicit)
    assert {k: row[k] for k in expected} == expected


def test_explicit_values_without_user_agent(enricher: Enricher) -> None:
    row = run(enricher, "", device_type="iPhone", player="Safari")
    assert (row["os"], row["device_name"], row["platform"]) == ("iOS", "Apple iPhone", "web-mobile")
    assert tuple(row[c] for c in VENDOR) == ("Safari", "iPhone", "IOS", "SAFARI", "Mobile Phone",
                                             "Apple iPhone", "web-mobile")
    row = run(enricher, "", platform="android-webview")
    assert (row["os"], row["s73_os"], row["wms_device"], row["amagi_device_name"]) == (
        "Android", "ANDROID", "Android", "OthersMobile")


def test_none_means_absent(enricher: Enricher) -> None:
    explicit: dict[str, str | None] = {f: None for f in CANONICAL_COLUMNS}
    row = enricher.enrich(user_agent=UA["macos_safari"], ip="8.8.8.8", protocol="HLS", explicit=explicit)
    assert row == run(enricher, UA["macos_safari"], ip="8.8.8.8")


def test_answers_are_copies(enricher: Enricher) -> None:
    first = run(enricher, UA["roku"], ip="8.8.8.8")
    first["wms_player"] = "mutated"
    assert run(enricher, UA["roku"], ip="8.8.8.8")["wms_player"] == "Roku"


def test_memo_stays_bounded() -> None:
    e = Enricher(memo_size=10)
    for i in range(100):
        run(e, UA["roku"], ip=f"8.8.4.{i}")
    assert len(e._memo) <= 10 and len(e._memo_old) <= 10
    assert run(e, UA["roku"], ip="8.8.4.3")["country"] == "United States"


def counting_parser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = enrich_module.parse_user_agent

    def parse(ua: str) -> UAFacts:
        calls.append(ua)
        return real(ua)

    monkeypatch.setattr(enrich_module, "parse_user_agent", parse)
    return calls


def test_user_agents_are_parsed_once_across_restarts(tmp_path: pathlib.Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting_parser(monkeypatch)
    cache = tmp_path / "cache" / "ua.sqlite"
    names = ["iphone_safari", "fire_tv", "vlc", "electron"]
    with Enricher(cache_path=cache) as first:
        rows = [run(first, UA[n], ip="8.8.8.8") for n in names]
        run(first, UA["iphone_safari"], ip="1.1.1.1")  # known UA, new ip: no parse
    assert len(calls) == len(names)
    calls.clear()
    with Enricher(cache_path=cache) as second:
        assert [run(second, UA[n], ip="8.8.8.8") for n in names] == rows
        assert calls == []
        run(second, UA["roku"])
    assert calls == [UA["roku"]]
    calls.clear()
    with Enricher(cache_path=cache) as third:
        run(third, UA["roku"])
    assert calls == []


def test_flush_writes_in_batches(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enrich_module, "parse_user_agent", lambda ua: enrich_module.NO_FACTS)
    cache = tmp_path / "ua.sqlite"
    e = Enricher(cache_path=cache, batch_size=3)
    for i in range(7):
        run(e, f"agent {i}")
    assert len(Enricher(cache_path=cache)._facts) == 6  # two batches written, one UA pending
    e.flush()
    assert len(Enricher(cache_path=cache)._facts) == 7
    e.close()


def test_cache_is_dropped_when_rules_change(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "ua.sqlite"
    with Enricher(cache_path=cache) as e:
        run(e, UA["roku"])
    monkeypatch.setattr(enrich_module, "RULES_VERSION", "test-next")
    calls = counting_parser(monkeypatch)
    with Enricher(cache_path=cache) as e:
        assert run(e, UA["roku"])["wms_player"] == "Roku"
    assert calls == [UA["roku"]]


def test_a_parser_failure_is_an_unknown_client(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ua: str) -> UAFacts:
        raise RuntimeError("boom")

    monkeypatch.setattr(enrich_module, "parse_user_agent", broken)
    row = run(Enricher(), "Mozilla/5.0 weird", ip="8.8.8.8")
    assert (row["wms_player"], row["s73_os"], row["country"]) == ("Unknown", "UNKNOWN", "United States")


# A tiny MaxMind DB (format 2.0, IPv4 tree, 24-bit records) to test city lookups without a download.
def _mmdb_value(v: Any) -> bytes:
    def head(kind: int, size: int) -> bytes:
        extended = kind > 7
        first = (0 if extended else kind << 5)
        if size < 29:
            out = bytes([first | size])
            tail = b""
        elif size < 285:
            out, tail = bytes([first | 29]), bytes([size - 29])
        else:
            out, tail = bytes([first | 30]), struct.pack(">H", size - 285)
        return out + (bytes([kind - 7]) if extended else b"") + tail

    if isinstance(v, str):
        raw = v.encode()
        return head(2, len(raw)) + raw
    if isinstance(v, dict):
        return head(7, len(v)) + b"".join(_mmdb_value(k) + _mmdb_value(x) for k, x in v.items())
    if isinstance(v, list):
        return head(11, len(v)) + b"".join(_mmdb_value(x) for x in v)
    kind, number = v  # ("u16" | "u32" | "u64", int)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return head({"u16": 5, "u32": 6, "u64": 9}[kind], len(raw)) + raw


def write_mmdb(path: pathlib.Path, networks: dict[str, dict[str, Any]]) -> None:
    nodes: list[list[Any]] = [[None, None]]
    data = b""
    for cidr, record in networks.items():
        net = ipaddress.ip_network(cidr)
        bits = [(int(net.network_address) >> (31 - i)) & 1 for i in range(net.prefixlen)]
        offset, data = len(data), data + _mmdb_value(record)
        node = 0
        for bit in bits[:-1]:
            if nodes[node][bit] is None:
                nodes.append([None, None])
                nodes[node][bit] = ("node", len(nodes) - 1)
            node = nodes[node][bit][1]
        nodes[node][bits[-1]] = ("data", offset)
    count = len(nodes)

    def record_value(r: Any) -> int:
        return count if r is None else r[1] if r[0] == "node" else count + 16 + r[1]

    tree = b"".join(record_value(a).to_bytes(3, "big") + record_value(b).to_bytes(3, "big") for a, b in nodes)
    meta = {"node_count": ("u32", count), "record_size": ("u16", 24), "ip_version": ("u16", 4),
            "database_type": "GeoLite2-City", "languages": ["en"], "binary_format_major_version": ("u16", 2),
            "binary_format_minor_version": ("u16", 0), "build_epoch": ("u64", 1_700_000_000),
            "description": {"en": "mediastats test"}}
    path.write_bytes(tree + bytes(16) + data + b"\xab\xcd\xefMaxMind.com" + _mmdb_value(meta))


def test_city_from_an_operator_mmdb(tmp_path: pathlib.Path) -> None:
    mmdb = tmp_path / "city.mmdb"
    write_mmdb(mmdb, {
        "85.214.0.0/16": {"city": {"names": {"en": "Berlin"}}, "country": {"iso_code": "DE"}},
        "8.8.8.0/24": {"city": {"names": {"en": "Mountain View"}}, "country": {"iso_code": "US"}},
    })
    with Enricher(mmdb_path=mmdb) as e:
        assert (run(e, ip="85.214.132.117")["country"], run(e, ip="85.214.132.117")["city"]) == (
            "Germany", "Berlin")
        assert run(e, ip="8.8.8.8")["city"] == "Mountain View"
        assert (run(e, ip="133.242.0.1")["country"], run(e, ip="133.242.0.1")["city"]) == ("Japan", "")
        assert run(e, ip="192.168.1.1")["country"] == ""
        assert run(e, ip="garbage")["city"] == ""
        assert run(e, ip="8.8.8.8", country="France")["city"] == ""  # not the ip's country
        assert run(e, ip="8.8.8.8", country="US")["city"] == "Mountain View"
    assert run(Enricher(), ip="85.214.132.117")["city"] == ""  # no city without an mmdb
