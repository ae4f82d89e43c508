"""Enrichment: an event's user agent, protocol and ip → its canonical and vendor columns.

Cost, fastest first: a call seen before is one dict lookup on its inputs (a bounded two-generation
memo); a new ip with a known user agent costs a country lookup (iptocc, ~0.1 µs) and a second
memo lookup; a new user agent costs one device-detector parse (several ms, the first one of a
process about a second while its rules load). Parsed user agents live in a dict, loaded from and
saved to SQLite (``cache_path``), so a user agent is parsed once, also across restarts. The cache is
dropped when `RULES_VERSION` or device-detector's version changes.
"""

from __future__ import annotations

import logging
import pathlib
import re
import sqlite3
import threading
from collections.abc import Mapping
from typing import Any, NamedTuple

import device_detector
import iptocc
import maxminddb
from device_detector import DeviceDetector

from mediastats.model import vocab
from mediastats.model.vocab import CANONICAL_COLUMNS, VENDOR_COLUMNS

__all__ = ["CANONICAL_COLUMNS", "VENDOR_COLUMNS", "Enricher", "UAFacts", "merge", "parse_user_agent"]

log = logging.getLogger(__name__)
RULES_VERSION = "1"  # bump when parse_user_agent's answers change
MAX_UA_CHARS = 512
EXPLICIT_FIELDS = CANONICAL_COLUMNS


class UAFacts(NamedTuple):
    """What a user agent says, in canonical values. ``kind``: browser, webview, app, electron,
    cast or ``""``; ``player`` only for a client that is not a browser."""

    kind: str
    player: str
    browser: str
    os: str
    device_type: str
    device_name: str
    connection_type: str


NO_FACTS = UAFacts("", "", "", "", "", "", "")

_DEVICE_TYPES = {"tv": "smart-tv", "phablet": "smartphone", "feature phone": "smartphone",
                 "portable media player": "media-player", "car browser": "car"}
_NATIVE_ANDROID = re.compile(r"(ExoPlayer|AndroidXMedia3|stagefright|^Dalvik|okhttp)", re.I)
_NATIVE_NAMES = {"exoplayer": "ExoPlayer", "androidxmedia3": "ExoPlayer", "stagefright": "Stagefright",
                 "dalvik": "Dalvik", "okhttp": "OkHttp"}
_APPLE_NATIVE = re.compile(r"\b(?:CFNetwork|AppleCoreMedia|AVPlayer)/")
_ANDROID_WEBVIEW = re.compile(r"; wv\)|Version/\d+\.\d+ Chrome/")
_ELECTRON = re.compile(r"\bElectron/\d")
_CAST = re.compile(r"\bCrKey/")
_EDGE_LEGACY = re.compile(r"\bEdge/\d")
_IPOD = re.compile(r"\biPod\b")
_FIRE_TV = re.compile(r"\b(AFT[A-Z0-9]{1,10})\b")
# Fire TV sticks by model code (the rest of AFT* are boxes, cubes and Fire TV Edition sets).
_FIRE_STICKS = {"AFTM": "Fire TV Stick", "AFTT": "Fire TV Stick", "AFTMM": "Fire TV Stick 4K",
                "AFTSSS": "Fire TV Stick", "AFTSS": "Fire TV Stick Lite", "AFTKA": "Fire TV Stick 4K Max",
                "AFTKM": "Fire TV Stick 4K", "AFTKRT": "Fire TV Stick 4K Max"}
_TV_HINT = re.compile(r"SMART-?TV|Smart[ _]TV|HbbTV|NetCast|BRAVIA|Viera|Philips ?TV|Web0S|GoogleTV|"
                      r"Android ?TV|Apple ?TV|\bRoku\b|\bAFT[A-Z]", re.I)
_NET_TYPE = re.compile(r"\bNetType/(\w+)", re.I)


def parse_user_agent(ua: str) -> UAFacts:
    """One device-detector parse, corrected where its rules go wrong for video clients."""
    d = DeviceDetector(ua, check_cache=False).parse()
    if d.is_bot():
        return NO_FACTS
    os = _os(d)
    brand = "" if d.device_brand() == "Unknown" else d.device_brand()
    model = d.device_model()
    raw_type = str(d.device_type())
    device_type = _DEVICE_TYPES.get(raw_type, raw_type.replace(" ", "-"))
    if not (os or brand or model):
        device_type = ""  # a guess without any device evidence
    if _IPOD.search(ua):
        brand, model, device_type = "Apple", "iPod", "media-player"
    if (fire := _FIRE_TV.search(ua)) and brand != "Amazon":
        brand, model = "Amazon", _FIRE_STICKS.get(fire.group(1), "Fire TV")
    if not brand and os in ("Tizen", "webOS"):
        brand = "Samsung" if os == "Tizen" else "LG"
    if os in vocab.TV_OSES or _TV_HINT.search(ua):
        device_type = "smart-tv"
    elif not device_type and os in vocab.DESKTOP_OSES:
        device_type = "desktop"

    client, client_type = d.client_name(), str(d.client_type())
    kind, player, browser = "", "", ""
    if _ELECTRON.search(ua):
        kind, player, browser = "electron", "Electron", "Chrome"
    elif _CAST.search(ua) and brand in ("", "Google"):
        kind, browser, brand, device_type = "cast", "Chrome", "Google", "smart-tv"
        model = model or "Chromecast"
    elif os == "Roku OS":
        kind, player = "app", "Roku"
    elif native := _NATIVE_ANDROID.search(ua):
        kind, player = "app", _NATIVE_NAMES[native.group(1).lower()]
    elif client_type == "browser":
        browser = _browser(client, ua, os)
        webview = "webview" in client.lower() or bool(_ANDROID_WEBVIEW.search(ua))
        if os in ("iOS", "iPadOS") and browser == "Safari" and "Safari/" not in ua:
            webview = True  # WKWebView: Safari's user agent without the Safari token
        kind = "webview" if webview else "browser"
    elif client or _APPLE_NATIVE.search(ua):
        kind = "webview" if _ANDROID_WEBVIEW.search(ua) else "app"  # in-app browsers are webviews
        player = vocab.canonical_name("player", client)
    return UAFacts(kind, player, browser, os, device_type, _device_name(brand, model), _connection(ua))


def _os(d: Any) -> str:
    name = d.os_name()
    canonical = vocab.canonical_name("os", name)
    if not name or canonical in vocab.OS_VALUES:
        return str(canonical)
    family = d.all_details.get("os", {}).get("family", "")
    return {"Android": "Android", "GNU/Linux": "Linux", "Windows": "Windows"}.get(family, name)


def _browser(client: str, ua: str, os: str) -> str:
    if client == "Microsoft Edge":
        return "Edge Legacy" if _EDGE_LEGACY.search(ua) else "Edge"
    name = vocab.canonical_name("browser", client)
    if name == "Safari" and os == "Tizen":
        return "Samsung Internet"  # Tizen's browser says "TV Safari"
    return name


def _device_name(brand: str, model: str) -> str:
    if brand and model.lower().startswith(brand.lower()):
        return model
    return f"{brand} {model}".strip()


def _connection(ua: str) -> str:
    found = _NET_TYPE.search(ua)
    value = vocab.parse_explicit("connection_type", found.group(1)).value if found else ""
    return value if value in vocab.CONNECTION_TYPES else ""


def merge(facts: UAFacts, protocol: str, explicit: Mapping[str, str | None],
          country: str = "", city: str = "") -> dict[str, str]:
    """The canonical columns: explicit values win, then what they imply, then the user agent's facts.

    Implied values (``iPhone`` as device_type implies os iOS) fill only fields still empty, except
    the browser a System73 platform names (``CHROME``), which is what that platform means; a
    player that is a browser is also the browser when none is known.
    Platform and player are derived last, from the final device type, OS and browser.
    """
    rec = {"player": "", "browser": facts.browser, "os": facts.os, "device_type": facts.device_type,
           "device_name": facts.device_name, "platform": "", "connection_type": facts.connection_type,
           "country": country, "city": city}
    given: set[str] = set()
    implied: dict[str, str] = {}
    for field in EXPLICIT_FIELDS:
        raw = explicit.get(field)
        if not isinstance(raw, str) or not raw.strip():
            continue
        parsed = vocab.parse_explicit(field, raw)
        rec[field] = parsed.value
        given.add(field)
        for name, value in parsed.implied:
            implied.setdefault(name, value)
    for name, value in implied.items():
        if name not in given and (name == "browser" or not rec[name]):
            rec[name] = value
    if not rec["browser"] and rec["player"] in vocab.BROWSERS:
        rec["browser"] = rec["player"]  # an explicit player that is a browser
    if "platform" not in given:
        rec["platform"] = vocab.derive_platform(facts.kind, rec["device_type"], rec["os"], rec["browser"])
    elif rec["platform"] == vocab.WEB:
        rec["platform"] = vocab.web_platform(rec["device_type"], rec["os"])
    if "player" not in given:
        rtmp = protocol.upper().startswith("RTMP")
        rec["player"] = "Flash" if rtmp else facts.player or rec["browser"]
    if "country" in given and "city" not in given and rec["country"] != country:
        rec["city"] = ""  # the ip's city is not in the country the client named
    return rec


class _UAStore:
    """user agent → facts in SQLite; facts joined by U+001F."""

    def __init__(self, path: pathlib.Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._lock = threading.Lock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # a lost entry is only parsed again
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS ua_facts (ua TEXT PRIMARY KEY, facts TEXT NOT NULL)")
        version = f"{RULES_VERSION}/{device_detector.__version__}"
        row = self._db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != version:
            with self._db:
                self._db.execute("DELETE FROM ua_facts")
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (version,))

    def load(self) -> dict[str, UAFacts]:
        loaded: dict[str, UAFacts] = {}
        for ua, joined in self._db.execute("SELECT ua, facts FROM ua_facts"):
            fields = joined.split("\x1f")
            if len(fields) == len(UAFacts._fields):
                loaded[ua] = UAFacts(*fields)
        return loaded

    def save(self, items: list[tuple[str, UAFacts]]) -> None:
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO ua_facts VALUES (?, ?)",
                                 [(ua, "\x1f".join(facts)) for ua, facts in items])

    def close(self) -> None:
        self._db.close()


class Enricher:
    """Adds CANONICAL_COLUMNS and VENDOR_COLUMNS to events. Safe to share between threads."""

    def __init__(self, cache_path: pathlib.Path | None = None, mmdb_path: pathlib.Path | None = None,
                 *, memo_size: int = 50_000, batch_size: int = 256) -> None:
        self._store = _UAStore(cache_path) if cache_path is not None else None
        self._facts: dict[str, UAFacts] = self._store.load() if self._store is not None else {}
        self._pending: list[tuple[str, UAFacts]] = []
        self._pending_lock = threading.Lock()
        self._batch_size = batch_size
        self._mmdb: Any = maxminddb.open_database(str(mmdb_path)) if mmdb_path is not None else None
        self._memo_size = memo_size
        self._memo: dict[tuple[str | None, ...], dict[str, str]] = {}
        self._memo_old: dict[tuple[str | None, ...], dict[str, str]] = {}
        self._rows: dict[tuple[str | None, ...], dict[str, str]] = {}  # the same, keyed without ip

    def enrich(self, *, user_agent: str | None, ip: str | None, protocol: str | None,
               explicit: Mapping[str, str | None]) -> dict[str, str]:
        """Every CANONICAL_COLUMNS and VENDOR_COLUMNS key. Canonical ones are ``""`` only where
        nothing is known; vendor ones always hold a vendor value (``Unknown`` …)."""
        g = explicit.get
        key = (user_agent, ip, protocol, g("player"), g("browser"), g("os"), g("device_type"),
               g("device_name"), g("platform"), g("connection_type"), g("country"), g("city"))
        row = self._memo.get(key)
        if row is None:
            row = self._memo_old.get(key) or self._row(key)
            if len(self._memo) >= self._memo_size:
                self._memo_old, self._memo = self._memo, {}
            self._memo[key] = row
        return row.copy()

    def _row(self, key: tuple[str | None, ...]) -> dict[str, str]:
        country, city = self._geo(key[1] or "")
        row_key = (key[0], key[2], *key[3:], country, city)
        row = self._rows.get(row_key)
        if row is None:
            explicit = dict(zip(EXPLICIT_FIELDS, key[3:], strict=True))
            canonical = merge(self.facts(key[0] or ""), key[2] or "", explicit, country, city)
            row = {**canonical, **vocab.vendor_columns(canonical)}
            if len(self._rows) >= 2 * self._memo_size:
                self._rows.clear()
            self._rows[row_key] = row
        return row

    def facts(self, user_agent: str) -> UAFacts:
        """The user agent's facts, parsed at most once per cache."""
        if not user_agent:
            return NO_FACTS
        ua = user_agent[:MAX_UA_CHARS]
        found = self._facts.get(ua)
        if found is not None:
            return found
        try:
            found = parse_user_agent(ua)
        except Exception:  # a parser bug must not lose the event
            log.exception("user agent parse failed: %r", ua)
            found = NO_FACTS
        self._facts[ua] = found
        if self._store is not None:
            with self._pending_lock:
                self._pending.append((ua, found))
                full = len(self._pending) >= self._batch_size
            if full:
                self.flush()
        return found

    def _geo(self, ip: str) -> tuple[str, str]:
        if not ip:
            return "", ""
        iso2, city = None, ""
        if self._mmdb is not None:
            try:
                found = self._mmdb.get(ip)
            except ValueError:
                found = None
            if isinstance(found, dict):
                place = found.get("country") or found.get("registered_country") or {}
                iso2 = place.get("iso_code")
                city = found.get("city", {}).get("names", {}).get("en", "")
        if not iso2:
            try:
                iso2 = iptocc.country_code(ip)
            except ValueError:
                iso2 = None
        return vocab.country_name(iso2), city

    def flush(self) -> None:
        """Write user agents parsed since the last flush to the cache file."""
        if self._store is None:
            return
        with self._pending_lock:
            pending, self._pending = self._pending, []
        if pending:
            self._store.save(pending)

    def close(self) -> None:
        self.flush()
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._mmdb is not None:
            self._mmdb.close()
            self._mmdb = None

    def __enter__(self) -> Enricher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
