"""The few vocabulary facts the reference model needs, from CONTRACT §3 and §5 (by hand).

An explicit ``os`` / ``connection_type`` spelled as any vocabulary spells it (case-insensitive) is
understood; other explicit values are kept as sent and land in System73's ``UNKNOWN``. The user
agent the reference events carry says nothing, so a view without an explicit value is unknown.
"""

from __future__ import annotations

from typing import Any

CANONICAL: dict[str, dict[str, str]] = {
    "os": {"ios": "iOS", "android": "Android", "windows": "Windows", "macos": "macOS", "linux": "Linux"},
    "connection_type": {"wifi": "wifi", "cellular": "cellular", "ethernet": "ethernet"},
}
# System73 operating_systems / connection_types (CONTRACT §5) of the canonical values above.
SYSTEM73: dict[str, tuple[str, dict[str, str]]] = {
    "s73_os": ("os", {"iOS": "IOS", "Android": "ANDROID", "Windows": "WINDOWS", "macOS": "MAC", "Linux": "LINUX"}),
    "s73_connection": ("connection_type", {"wifi": "WIFI", "cellular": "CELLULAR", "ethernet": "ETHERNET"}),
}
VENDOR_COLUMNS = frozenset(SYSTEM73)


def canonical_value(name: str, attrs: dict[str, Any]) -> str:
    sent = str(attrs.get(name) or "")
    key = "".join(ch for ch in sent.lower() if ch.isalnum())
    return CANONICAL.get(name, {}).get(key, sent)


def vendor_value(name: str, attrs: dict[str, Any]) -> str:
    source, table = SYSTEM73[name]
    return table.get(canonical_value(source, attrs), "UNKNOWN")
