"""The canonical vocabulary, explicit spellings in every vendor's words, and the vendor mappings."""

from __future__ import annotations

import re

import pytest

from mediastats.model import vocab
from mediastats.model import vocab_tables as tables
from mediastats.model.vocab import Parsed, parse_explicit

# field, as sent, canonical value, implied values
SPELLINGS = [
    ("os", "IOS", "iOS", ()),
    ("os", "iOS", "iOS", ()),
    ("os", "ios", "iOS", ()),
    ("os", "MAC", "macOS", ()),
    ("os", "Apple OS X", "macOS", ()),
    ("os", "Mac OS X", "macOS", ()),
    ("os", "Macintosh", "macOS", ()),
    ("os", "WINDOWS", "Windows", ()),
    ("os", "Windows 10", "Windows", ()),
    ("os", "Android 13", "Android", ()),
    ("os", "CHROMEOS", "ChromeOS", ()),
    ("os", "Chrome OS", "ChromeOS", ()),
    ("os", "TVOS", "tvOS", ()),
    ("os", "TIZEN", "Tizen", ()),
    ("os", "WEBOS", "webOS", ()),
    ("os", "ROKU", "Roku OS", ()),
    ("os", "GNU/Linux", "Linux", ()),
    ("os", "Plan 9", "Plan 9", ()),
    ("os", "UNKNOWN", "", ()),
    ("platform", "android-native", "android-native", (("os", "Android"),)),
    ("platform", "ANDROID", "android-native", (("os", "Android"),)),
    ("platform", "Android-Webview", "android-webview", (("os", "Android"),)),
    ("platform", "IOS", "ios-native", (("os", "iOS"),)),
    ("platform", "ios-native", "ios-native", (("os", "iOS"),)),
    ("platform", "SMART_TV", "smart-tv", (("device_type", "smart-tv"),)),
    ("platform", "Smart TV", "smart-tv", (("device_type", "smart-tv"),)),
    ("platform", "smart-tv", "smart-tv", (("device_type", "smart-tv"),)),
    ("platform", "chromecast", "chromecast",
     (("device_type", "smart-tv"), ("device_name", "Google Chromecast"))),
    ("platform", "desktop-electron", "desktop-electron", ()),
    ("platform", "web-mobile", "web-mobile", ()),
    ("platform", "WEB-DESKTOP", "web-desktop", ()),
    ("platform", "CHROME", vocab.WEB, (("browser", "Chrome"),)),
    ("platform", "firefox", vocab.WEB, (("browser", "Firefox"),)),
    ("platform", "EDGE", vocab.WEB, (("browser", "Edge"),)),
    ("platform", "Amiga", "Amiga", ()),
    ("connection_type", "WIFI", "wifi", ()),
    ("connection_type", "Wi-Fi", "wifi", ()),
    ("connection_type", "ETHERNET", "ethernet", ()),
    ("connection_type", "CELLULAR", "cellular", ()),
    ("connection_type", "4G", "cellular", ()),
    ("connection_type", "pigeon", "pigeon", ()),
    ("device_type", "Smart TV", "smart-tv", ()),
    ("device_type", "SMART_TV", "smart-tv", ()),
    ("device_type", "SmartTV", "smart-tv", ()),
    ("device_type", "TV", "set-top-box", ()),
    ("device_type", "Mobile Phone", "smartphone", ()),
    ("device_type", "Tablet", "tablet", ()),
    ("device_type", "Desktop", "desktop", ()),
    ("device_type", "Media Player", "media-player", ()),
    ("device_type", "Roku", "smart-tv", (("device_name", "Roku"), ("os", "Roku OS"))),
    ("device_type", "iPhone", "smartphone", (("device_name", "Apple iPhone"), ("os", "iOS"))),
    ("device_type", "Macintosh", "desktop", (("os", "macOS"),)),
    ("device_type", "Amazon Fire TV", "smart-tv", (("device_name", "Amazon Fire TV"), ("os", "Fire OS"))),
    ("device_type", "Others", "", ()),
    ("device_name", "apple tv", "Apple TV", (("device_type", "smart-tv"), ("os", "tvOS"))),
    ("device_name", "Set Top Box TV", "Set Top Box TV", (("device_type", "set-top-box"),)),
    ("device_name", "iPad", "Apple iPad", (("device_type", "tablet"), ("os", "iPadOS"))),
    ("device_name", "Pixel 8", "Pixel 8", ()),
    ("player", "MSIE", "Internet Explorer", ()),
    ("player", "chrome", "Chrome", ()),
    ("player", "Microsoft Edge", "Edge", ()),
    ("player", "FLASH", "Flash", ()),
    ("player", "vlc", "VLC", ()),
    ("player", "hls.js", "hls.js", ()),
    ("browser", "Mobile Safari", "Safari", ()),
    ("country", "US", "United States", ()),
    ("country", "de", "Germany", ()),
    ("country", "united states", "United States", ()),
    ("country", "USA", "United States", ()),
    ("country", "Curacao", "Curaçao", ()),
    ("country", "Atlantis", "Atlantis", ()),
    ("city", "  Berlin ", "Berlin", ()),
]


@pytest.mark.parametrize(("field", "sent", "value", "implied"), SPELLINGS)
def test_explicit_spellings(field: str, sent: str, value: str, implied: tuple[tuple[str, str], ...]) -> None:
    assert parse_explicit(field, sent) == Parsed(value, implied)


def test_spelling_tables_only_name_canonical_values() -> None:
    allowed = {
        "os": set(vocab.OS_VALUES), "device_type": set(vocab.DEVICE_TYPES) | {""},
        "platform": set(vocab.PLATFORMS) | {vocab.WEB}, "connection_type": set(vocab.CONNECTION_TYPES),
    }
    names = {n for ns in tables.AMAGI_DEVICES.values() for n in ns}
    for field, table in [("os", tables.OS_SPELLINGS), ("platform", tables.PLATFORM_SPELLINGS),
                         ("connection_type", tables.CONNECTION_SPELLINGS),
                         ("device_type", tables.DEVICE_TYPE_SPELLINGS)]:
        for sent in table:
            parsed = parse_explicit(field, sent)
            assert parsed.value in allowed[field] | {""}, (field, sent)
            for other, implied in parsed.implied:
                assert other in vocab.CANONICAL_COLUMNS
                assert other != "os" or implied in vocab.OS_VALUES
                assert other != "device_type" or implied in allowed["device_type"]
                assert other != "device_name" or implied in names


def test_every_vendor_spelling_is_understood() -> None:
    for os in ("WINDOWS", "MAC", "LINUX", "IOS", "ANDROID", "TVOS", "TIZEN", "WEBOS", "ROKU", "CHROMEOS"):
        assert vocab.s73_os(parse_explicit("os", os).value) == os
    for platform in ("ANDROID", "IOS", "SMART_TV"):
        assert vocab.s73_platform(parse_explicit("platform", platform).value, "") == platform
    for platform in vocab.SR_PLATFORMS:
        assert vocab.sr_platform(parse_explicit("platform", platform).value) == platform
    for connection in ("ETHERNET", "WIFI", "CELLULAR"):
        assert vocab.s73_connection(parse_explicit("connection_type", connection).value) == connection
    for player in ("Chrome", "Safari", "Firefox", "MSIE", "Edge", "Opera", "Flash", "VLC", "Roku"):
        assert vocab.wms_player(parse_explicit("player", player).value) == player
    for amagi_type, names in tables.AMAGI_DEVICES.items():
        for name in names:
            parsed = parse_explicit("device_name", name)
            implied = dict(parsed.implied)
            got = vocab.amagi_device(implied.get("device_type", ""), parsed.value, implied.get("os", ""))
            assert got == ((amagi_type, name) if name != "Others" else ("Others", "Others"))


# device_type, device_name, os → WMSPanel device, Amagi (type, name)
DEVICES = [
    ("smartphone", "Apple iPhone", "iOS", "iPhone", ("Mobile Phone", "Apple iPhone")),
    ("tablet", "Apple iPad", "iPadOS", "iPad", ("Tablet", "Apple iPad")),
    ("media-player", "Apple iPod", "iOS", "iPod", ("Media Player", "Apple iPod")),
    ("", "", "iOS", "iPhone", ("Mobile Phone", "Apple iPhone")),
    ("smartphone", "Samsung Galaxy S23", "Android", "Android", ("Mobile Phone", "Samsung Mobile")),
    ("tablet", "Samsung Galaxy Tab S8", "Android", "Android", ("Tablet", "Samsung Tablet")),
    ("tablet", "Lenovo Tab P11", "Android", "Android", ("Tablet", "OthersTablet")),
    ("smartphone", "Google Pixel 7", "Android", "Android", ("Mobile Phone", "OthersMobile")),
    ("desktop", "", "Windows", "Windows", ("Desktop", "Windows Desktop")),
    ("desktop", "Apple", "macOS", "Macintosh", ("Desktop", "Apple OS X")),
    ("desktop", "", "Linux", "Linux", ("Desktop", "Desktop")),
    ("desktop", "", "ChromeOS", "ChromeOS", ("Desktop", "Desktop")),
    ("smart-tv", "Roku Digital Video Player", "Roku OS", "SmartTV", ("Roku", "Roku")),
    ("smart-tv", "Amazon Fire TV Stick 4K", "Fire OS", "SmartTV", ("Smart TV", "Amazon Fire TV Stick")),
    ("smart-tv", "Amazon Fire TV Cube", "Fire OS", "SmartTV", ("Smart TV", "Amazon Fire TV")),
    ("smart-tv", "Samsung Smart TV", "Tizen", "SmartTV", ("Smart TV", "Samsung TV")),
    ("smart-tv", "LG", "webOS", "SmartTV", ("Smart TV", "LG TV")),
    ("smart-tv", "", "Tizen", "SmartTV", ("Smart TV", "Samsung TV")),
    ("smart-tv", "Hisense Smart TV", "Android TV", "SmartTV", ("Smart TV", "Hisense TV")),
    ("smart-tv", "Vizio", "Linux", "SmartTV", ("Smart TV", "Vizio TV")),
    ("smart-tv", "Nvidia SHIELD Android TV", "Android TV", "SmartTV", ("Smart TV", "OthersTV")),
    ("smart-tv", "Google Chromecast", "Linux", "SmartTV", ("Smart TV", "Google Chromecast")),
    ("smart-tv", "Apple TV", "tvOS", "SmartTV", ("Smart TV", "Apple TV")),
    ("set-top-box", "", "Linux", "SmartTV", ("TV", "Set Top Box TV")),
    ("console", "Sony PlayStation 4", "PlayStation", "Unknown", ("Others", "Others")),
    ("", "", "", "Unknown", ("Others", "Others")),
    ("", "", "Plan 9", "Unknown", ("Others", "Others")),
    ("toaster", "", "Windows", "Unknown", ("Others", "Others")),
]


@pytest.mark.parametrize(("device_type", "device_name", "os", "wms", "amagi"), DEVICES)
def test_device_vocabularies(device_type: str, device_name: str, os: str, wms: str,
                             amagi: tuple[str, str]) -> None:
    assert vocab.wms_device(device_type, device_name, os) == wms
    assert vocab.amagi_device(device_type, device_name, os) == amagi


# platform, browser → System73 platform, Streamroot platform
PLATFORMS = [
    ("web-desktop", "Chrome", "CHROME", "web-desktop"),
    ("web-mobile", "Safari", "SAFARI", "web-mobile"),
    ("web-desktop", "Edge Legacy", "EDGE", "web-desktop"),
    ("web-desktop", "Internet Explorer", "UNKNOWN", "web-desktop"),
    ("web-mobile", "Samsung Internet", "CHROME", "web-mobile"),
    ("web-desktop", "Lynx", "UNKNOWN", "web-desktop"),
    ("desktop-electron", "Chrome", "CHROME", "desktop-electron"),
    ("android-native", "", "ANDROID", "android-native"),
    ("android-webview", "Chrome", "ANDROID", "android-webview"),
    ("ios-native", "", "IOS", "ios-native"),
    ("smart-tv", "Chrome", "SMART_TV", "smart-tv"),
    ("chromecast", "Chrome", "SMART_TV", "chromecast"),
    ("desktop-native", "", "UNKNOWN", "web-desktop"),
    ("", "Chrome", "UNKNOWN", "web-desktop"),
    ("Amiga", "Chrome", "UNKNOWN", "web-desktop"),
]


@pytest.mark.parametrize(("platform", "browser", "s73", "sr"), PLATFORMS)
def test_platform_vocabularies(platform: str, browser: str, s73: str, sr: str) -> None:
    assert vocab.s73_platform(platform, browser) == s73
    assert vocab.sr_platform(platform) == sr


# client kind, device type, os, browser → canonical platform
DERIVED_PLATFORMS = [
    ("browser", "desktop", "Windows", "Chrome", "web-desktop"),
    ("browser", "smartphone", "iOS", "Safari", "web-mobile"),
    ("browser", "", "Android", "Chrome", "web-mobile"),
    ("webview", "smartphone", "Android", "Chrome", "android-webview"),
    ("webview", "smartphone", "iOS", "Safari", "ios-native"),
    ("app", "smartphone", "Android", "", "android-native"),
    ("app", "tablet", "iPadOS", "", "ios-native"),
    ("app", "smart-tv", "Fire OS", "", "smart-tv"),
    ("browser", "smart-tv", "Tizen", "Samsung Internet", "smart-tv"),
    ("app", "", "tvOS", "", "smart-tv"),
    ("cast", "smart-tv", "Linux", "Chrome", "chromecast"),
    ("electron", "desktop", "macOS", "Chrome", "desktop-electron"),
    ("app", "desktop", "Windows", "", "desktop-native"),
    ("app", "", "", "", ""),
    ("", "", "", "Firefox", "web-desktop"),
    ("", "", "", "", ""),
]


@pytest.mark.parametrize(("kind", "device_type", "os", "browser", "platform"), DERIVED_PLATFORMS)
def test_derive_platform(kind: str, device_type: str, os: str, browser: str, platform: str) -> None:
    assert vocab.derive_platform(kind, device_type, os, browser) == platform


def test_players() -> None:
    assert vocab.wms_player("Edge Legacy") == "MSIE"
    assert vocab.wms_player("Internet Explorer") == "MSIE"
    assert vocab.wms_player("Edge") == "Edge"
    assert vocab.wms_player("Samsung Internet") == "Chrome"
    assert vocab.wms_player("Electron") == "Chrome"
    assert vocab.wms_player("ExoPlayer") == "Unknown"
    assert vocab.wms_player("") == "Unknown"


def test_countries() -> None:
    assert vocab.country_name("US") == "United States"
    assert vocab.country_name("de") == "Germany"
    assert vocab.country_name("JP") == "Japan"
    assert vocab.country_name("BR") == "Brazil"
    assert vocab.country_name("CI") == "Ivory Coast"
    assert vocab.country_name("CD") == "DR Congo"
    assert vocab.country_name("XK") == "Kosovo"
    assert vocab.country_name("EU") == ""
    assert vocab.country_name(None) == ""
    assert len(tables.COUNTRY_NAMES) == 250  # ISO 3166-1's 249 and Kosovo
    assert len(set(tables.COUNTRY_NAMES.values())) == 250


# Every code iptocc answered for 3 million random IPv4 addresses, bar EU.
IPTOCC_CODES = re.findall(r"[A-Z]{2}", """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BW BY BZ CA CD CF CG CH CI CK CL CM CN CO CR CU CV CW CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI
FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY HK HN HR HT HU ID IE IL IM IN IO IQ
IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG
MH MK ML MM MN MO MP MQ MR MT MU MV MW MX MY MZ NA NC NE NG NI NL NO NP NR NZ OM PA PE PF PG PH PK PL PM
PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TG TH TJ
TK TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VG VI VN VU WF WS YE ZA ZM ZW""")


def test_every_country_iptocc_answers_has_a_name() -> None:
    assert [cc for cc in IPTOCC_CODES if not vocab.country_name(cc)] == []


def test_amagi_country_spellings() -> None:
    names = set(tables.COUNTRY_NAMES.values())
    for name in ("United States", "United Kingdom", "South Korea", "Principality of Monaco",
                 "St Kitts and Nevis", "Bonaire Sint Eustatius and Saba", "Cocos Keeling Islands",
                 "U.S. Virgin Islands", "Congo Republic", "East Timor", "Vatican City", "Czechia"):
        assert name in names
