"""Server settings: command-line options and ``MEDIASTATS_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

SURFACES = ("wmspanel", "system73", "amagi", "streamroot")


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("./mediastats-data")
    host: str = "127.0.0.1"
    port: int = 8080
    admin_token: str | None = None
    clickhouse_url: str | None = None
    database_url: str | None = None
    fsync: bool = False
    # Mount one vendor surface at "/" as well, for drop-in use.
    surface: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    push_allow_private: bool = False
    geoip_city_mmdb: Path | None = None
    # Background jobs (push worker, report scheduler); tests may turn them off.
    background: bool = True
    # Read the rollups where they answer exactly; MEDIASTATS_ROLLUPS=0|off|false|no
    # reads raw events only, view metrics too (for comparison; the rollups and sessions are still
    # maintained at ingest).
    rollups: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        values: dict[str, object] = {
            "admin_token": env.get("MEDIASTATS_ADMIN_TOKEN") or None,
            "clickhouse_url": env.get("MEDIASTATS_CLICKHOUSE_URL") or None,
            "database_url": env.get("MEDIASTATS_DATABASE_URL") or None,
            "push_allow_private": env.get("MEDIASTATS_PUSH_ALLOW_PRIVATE", "") in ("1", "true", "yes"),
            "rollups": env.get("MEDIASTATS_ROLLUPS", "1").strip().lower() not in ("0", "off", "false", "no"),
            "trusted_proxies": tuple(
                p.strip() for p in env.get("MEDIASTATS_TRUSTED_PROXIES", "").split(",") if p.strip()
            ),
        }
        mmdb = env.get("MEDIASTATS_GEOIP_CITY_MMDB")
        if mmdb:
            values["geoip_city_mmdb"] = Path(mmdb)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
