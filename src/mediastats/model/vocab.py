"""One canonical description of a viewer's client, and every vendor vocabulary derived from it.

Enrichment (`mediastats.ingest.enrich`) fills the canonical columns; each vendor column is a pure
function of them, so every surface counts the same view the same way.

Canonical values (``""`` = not known):

- ``os``: ``Windows``, ``macOS``, ``Linux``, ``ChromeOS``, ``iOS``, ``iPadOS``, ``Android``,
  ``Android TV``, ``Fire OS``, ``tvOS``, ``Tizen``, ``webOS``, ``Roku OS``.
- ``device_type``: ``desktop``, ``smartphone``, ``tablet``, ``smart-tv`` (TVs, TV sticks, TV boxes),
  ``set-top-box`` (operator boxes, Amagi's ``TV``), ``console``, ``media-player`` (iPod),
  ``wearable``, ``car``, ``smart-display``, ``smart-speaker``, ``camera``, ``peripheral``.
- ``platform``: Streamroot's ``web-desktop``, ``web-mobile``, ``android-native``, ``android-webview``,
  ``ios-native``, ``chromecast``, ``smart-tv``, ``desktop-electron``, plus ``desktop-native``
  (a desktop media player such as VLC).
- ``connection_type``: ``ethernet``, ``wifi``, ``cellular`` (the Network Information API's words).
- ``browser``: ``Chrome``, ``Safari``, ``Firefox``, ``Edge`` (Chromium), ``Edge Legacy`` (EdgeHTML),
  ``Internet Explorer``, ``Opera``, ``Samsung Internet``, ``Silk``; other browsers by their
  device-detector name.
- ``player``: the browser for a web page; else ``Flash`` (RTMP playback), ``VLC``, ``Roku``,
  ``ExoPlayer``, ``AVPlayer`` (AppleCoreMedia), ``Electron``, or the app's own name.
- ``device_name``: ``<brand> <model>`` (``Apple iPhone``, ``Samsung Galaxy S23``), or an Amagi
  device name when a client sent one; ``country``: the Amagi list's English short name; ``city``.

An explicit value the vocabularies do not know is kept as sent in its canonical column and lands in
each vendor's unknown bucket: ``Unknown`` (WMSPanel), ``UNKNOWN`` (System73), ``Others`` (Amagi) and
``web-desktop`` for Streamroot, which has no unknown platform (its most common one, and the one its
documentation's examples use). A spelling of an unknown bucket (``Unknown``, ``Others`` …) means ``""``.

Where the vendors leave it open: Chromium-based browsers and Electron count as Chrome (WMSPanel,
System73), as their user agents say; legacy Edge is System73 ``EDGE``, Internet Explorer ``UNKNOWN``;
a web view is its OS's native platform (``ANDROID``, ``IOS``); a console is platform ``smart-tv``
(and ``SMART_TV``) but WMSPanel device ``Unknown``; ``desktop-native`` is Streamroot ``web-desktop``;
an Amagi device name always comes with the Amagi type it is listed under.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import NamedTuple

from mediastats.model import vocab_tables as t

CANONICAL_COLUMNS = ("player", "browser", "os", "device_type", "device_name", "platform",
                     "connection_type", "country", "city")
VENDOR_COLUMNS = ("wms_player", "wms_device", "s73_os", "s73_platform", "s73_connection",
                  "amagi_device_type", "amagi_device_name", "sr_platform")

OS_VALUES = ("Windows", "macOS", "Linux", "ChromeOS", "iOS", "iPadOS", "Android", "Android TV",
             "Fire OS", "tvOS", "Tizen", "webOS", "Roku OS")
DEVICE_TYPES = ("desktop", "smartphone", "tablet", "smart-tv", "set-top-box", "console", "media-player",
                "wearable", "car", "smart-display", "smart-speaker", "camera", "peripheral")
PLATFORMS = ("web-desktop", "web-mobile", "android-native", "android-webview", "ios-native",
             "chromecast", "smart-tv", "desktop-electron", "desktop-native")
CONNECTION_TYPES = ("ethernet", "wifi", "cellular")
BROWSERS = ("Chrome", "Safari", "Firefox", "Edge", "Edge Legacy", "Internet Explorer", "Opera",
            "Samsung Internet", "Silk")
WEB = "web"  # parse_explicit's platform for "a browser": resolve with web_platform()

SR_PLATFORMS = PLATFORMS[:-1]
WMS_UNKNOWN, S73_UNKNOWN, AMAGI_OTHERS, SR_DEFAULT = "Unknown", "UNKNOWN", "Others", "web-desktop"

TV_OSES = frozenset({"tvOS", "Tizen", "webOS", "Roku OS", "Android TV"})
DESKTOP_OSES = frozenset({"Windows", "macOS", "Linux", "ChromeOS"})
MOBILE_OSES = frozenset({"iOS", "iPadOS", "Android", "Fire OS"})
ANDROID_OSES = frozenset({"Android", "Fire OS", "Android TV"})
TV_TYPES = frozenset({"smart-tv", "set-top-box", "console"})
MOBILE_TYPES = frozenset({"smartphone", "tablet", "media-player", "wearable"})
_DEVICE_TYPE_SET = frozenset(DEVICE_TYPES)


class Parsed(NamedTuple):
    """An explicit value read into canonical form, and what it says about other fields."""

    value: str
    implied: tuple[tuple[str, str], ...] = ()


def fold(value: str) -> str:
    """The key spellings are compared by: no accents, lower case, letters and digits only."""
    ascii_only = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]", "", ascii_only.lower())


def _index(table: Mapping[str, t.Spelling]) -> dict[str, Parsed]:
    index: dict[str, Parsed] = {}
    for spelling, entry in table.items():
        index[fold(spelling)] = Parsed(entry) if isinstance(entry, str) else Parsed(*entry)
    return index


_UNKNOWN = frozenset(fold(s) for s in t.UNKNOWN_SPELLINGS)
_SPELLINGS: dict[str, dict[str, Parsed]] = {
    "os": _index(t.OS_SPELLINGS),
    "platform": _index(t.PLATFORM_SPELLINGS),
    "connection_type": _index(t.CONNECTION_SPELLINGS),
    "player": _index(t.PLAYER_SPELLINGS),
    "browser": _index(t.PLAYER_SPELLINGS),
    "device_type": _index(t.DEVICE_TYPE_SPELLINGS),
    "device_name": _index(t.DEVICE_NAME_SPELLINGS),
    "country": {
        **{fold(name): Parsed(name) for name in t.COUNTRY_NAMES.values()},
        **{fold(a): Parsed(t.COUNTRY_NAMES[cc]) for a, cc in t.COUNTRY_ALIASES.items()},
        **{cc.lower(): Parsed(name) for cc, name in t.COUNTRY_NAMES.items()},
    },
}
_TRAILING_VERSION = re.compile(r"[0-9]+$")


def parse_explicit(field: str, value: str) -> Parsed:
    """An event's explicit value, in any vocabulary's spelling (case-insensitive), as canonical.

    Unknown spellings are kept as sent (stripped); ``Windows 10`` or ``Android 13`` drop the version.
    """
    raw = value.strip()[:128]
    key = fold(raw)
    if not key or key in _UNKNOWN:
        return Parsed("")
    spellings = _SPELLINGS.get(field)
    if spellings is None:  # city, and free-form fields
        return Parsed(raw)
    found = spellings.get(key)
    if found is None and field != "country":
        found = spellings.get(_TRAILING_VERSION.sub("", key))
    return found if found is not None else Parsed(raw)


def canonical_name(field: str, value: str) -> str:
    """A name from a parser (device-detector) in canonical spelling, else as given."""
    found = _SPELLINGS[field].get(fold(value)) if value else None
    return found.value if found is not None else value


def country_name(iso2: str | None) -> str:
    """ISO 3166-1 alpha-2 → the Amagi list's name; ``""`` for none or a non-country (``EU``)."""
    return t.COUNTRY_NAMES.get(iso2.upper(), "") if iso2 else ""


def web_platform(device_type: str, os: str) -> str:
    if device_type in MOBILE_TYPES or (not device_type and os in MOBILE_OSES):
        return "web-mobile"
    return "web-desktop"


def derive_platform(client_kind: str, device_type: str, os: str, browser: str) -> str:
    """Canonical platform from the kind of client (``browser``, ``webview``, ``app``,
    ``electron``, ``cast`` or ``""``) and the event's final device type, OS and browser."""
    if client_kind == "electron":
        return "desktop-electron"
    if client_kind == "cast":
        return "chromecast"
    if device_type in TV_TYPES or os in TV_OSES:
        return "smart-tv"
    kind = client_kind or ("browser" if browser else "")
    if os in ANDROID_OSES and kind in ("app", "webview"):
        return "android-native" if kind == "app" else "android-webview"
    if os in ("iOS", "iPadOS") and kind in ("app", "webview"):
        return "ios-native"
    if kind in ("browser", "webview"):
        return web_platform(device_type, os)
    if kind == "app" and (device_type == "desktop" or os in DESKTOP_OSES):
        return "desktop-native"
    return ""


def _brand(device_name: str) -> str:
    return device_name.split(" ", 1)[0].lower() if device_name else ""


def wms_player(player: str) -> str:
    """WMSPanel player. A Chromium-based browser counts as Chrome, as its user agent says."""
    if player in t.CHROMIUM_BROWSERS:
        return "Chrome"
    return t.WMS_PLAYER.get(player, WMS_UNKNOWN)


def wms_device(device_type: str, device_name: str, os: str) -> str:
    """Apple mobile devices by model, TVs and set-top boxes as SmartTV, else the OS."""
    if device_type and device_type not in _DEVICE_TYPE_SET:
        return WMS_UNKNOWN
    name = device_name.lower()
    for model in ("iPod", "iPad", "iPhone"):
        if model.lower() in name:
            return model
    if device_type in ("smart-tv", "set-top-box") or os in TV_OSES:
        return "SmartTV"
    if os in ("iOS", "iPadOS"):
        if os == "iPadOS" or device_type == "tablet":
            return "iPad"
        return "iPod" if device_type == "media-player" else "iPhone"
    return {"Windows": "Windows", "macOS": "Macintosh", "Linux": "Linux", "Android": "Android",
            "Fire OS": "Android", "ChromeOS": "ChromeOS"}.get(os, WMS_UNKNOWN)


def s73_os(os: str) -> str:
    return t.S73_OS.get(os, S73_UNKNOWN)


def s73_platform(platform: str, browser: str) -> str:
    if platform in ("android-native", "android-webview"):
        return "ANDROID"
    if platform == "ios-native":
        return "IOS"
    if platform in ("smart-tv", "chromecast"):
        return "SMART_TV"
    if platform in ("web-desktop", "web-mobile", "desktop-electron"):
        return "CHROME" if browser in t.CHROMIUM_BROWSERS else t.S73_BROWSER.get(browser, S73_UNKNOWN)
    return S73_UNKNOWN


def s73_connection(connection_type: str) -> str:
    return connection_type.upper() if connection_type in CONNECTION_TYPES else S73_UNKNOWN


_AMAGI_TYPE_OF_NAME = {name: kind for kind, names in t.AMAGI_DEVICES.items() for name in names}
_AMAGI_NAME_BY_FOLD = {fold(name): name for name in _AMAGI_TYPE_OF_NAME}
_AMAGI_KEYWORDS = (("ipod", "Apple iPod"), ("ipad", "Apple iPad"), ("iphone", "Apple iPhone"),
                   ("apple tv", "Apple TV"), ("fire tv stick", "Amazon Fire TV Stick"),
                   ("fire tv", "Amazon Fire TV"), ("chromecast", "Google Chromecast"), ("roku", "Roku"))
_AMAGI_BY_OS = {"macOS": "Apple OS X", "Windows": "Windows Desktop", "Linux": "Desktop",
                "ChromeOS": "Desktop", "iOS": "Apple iPhone", "iPadOS": "Apple iPad",
                "Android": "OthersMobile", "Tizen": "Samsung TV", "webOS": "LG TV",
                "Fire OS": "Amazon Fire TV", "Android TV": "OthersTV", "tvOS": "Apple TV",
                "Roku OS": "Roku"}


def _amagi_tv(brand: str, os: str) -> str:
    for tv_brand in t.AMAGI_TV_BRANDS:
        if brand == tv_brand.lower():
            return f"{tv_brand} TV"
    by_brand = {"amazon": "Amazon Fire TV", "google": "Google Chromecast", "apple": "Apple TV"}
    if brand in by_brand:
        return by_brand[brand]
    return {"Tizen": "Samsung TV", "webOS": "LG TV", "Fire OS": "Amazon Fire TV"}.get(os, "OthersTV")


def amagi_device_name(device_type: str, device_name: str, os: str) -> str:
    if device_type and device_type not in _DEVICE_TYPE_SET:
        return AMAGI_OTHERS
    exact = _AMAGI_NAME_BY_FOLD.get(fold(device_name)) if device_name else None
    if exact:
        return exact
    name = device_name.lower()
    for keyword, amagi_name in _AMAGI_KEYWORDS:
        if keyword in name:
            return amagi_name
    if os in ("tvOS", "Roku OS"):
        return _AMAGI_BY_OS[os]
    brand = _brand(device_name)
    apple = brand == "apple" or os in ("iOS", "iPadOS")
    if device_type == "smart-tv":
        return _amagi_tv(brand, os)
    if device_type == "set-top-box":
        return "Set Top Box TV"
    if device_type == "smartphone":
        return "Apple iPhone" if apple else "Samsung Mobile" if brand == "samsung" else "OthersMobile"
    if device_type == "tablet":
        return "Apple iPad" if apple else "Samsung Tablet" if brand == "samsung" else "OthersTablet"
    if device_type == "media-player":
        return "Apple iPod" if apple else AMAGI_OTHERS
    if device_type == "desktop":
        return {"macOS": "Apple OS X", "Windows": "Windows Desktop"}.get(os, "Desktop")
    if not device_type:
        return _AMAGI_BY_OS.get(os, AMAGI_OTHERS)
    return AMAGI_OTHERS


def amagi_device(device_type: str, device_name: str, os: str) -> tuple[str, str]:
    """Amagi (device type, device name): a name of section 8 and the type it is listed under."""
    name = amagi_device_name(device_type, device_name, os)
    return _AMAGI_TYPE_OF_NAME[name], name


def sr_platform(platform: str) -> str:
    return platform if platform in SR_PLATFORMS else SR_DEFAULT


def vendor_columns(c: Mapping[str, str]) -> dict[str, str]:
    """Every VENDOR_COLUMNS value of one event, from its canonical columns."""
    amagi_type, amagi_name = amagi_device(c["device_type"], c["device_name"], c["os"])
    return {
        "wms_player": wms_player(c["player"]),
        "wms_device": wms_device(c["device_type"], c["device_name"], c["os"]),
        "s73_os": s73_os(c["os"]),
        "s73_platform": s73_platform(c["platform"], c["browser"]),
        "s73_connection": s73_connection(c["connection_type"]),
        "amagi_device_type": amagi_type,
        "amagi_device_name": amagi_name,
        "sr_platform": sr_platform(c["platform"]),
    }
