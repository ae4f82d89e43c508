"""A short HLS VOD made with Debian's ffmpeg: two H.264 renditions in MPEG-TS segments.

Debian's chromium plays H.264 through Media Source Extensions (its bundled ffmpeg has the
proprietary codecs), and hls.js transmuxes MPEG-TS to fMP4 itself, so plain TS segments are the
most common real-world shape. The master playlist is written by hand, so each rendition's
``BANDWIDTH`` (what players report as the bitrate) is a known constant, not ffmpeg's estimate.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
DURATION_S = 20
SEGMENT_S = 2


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    kbps: int

    @property
    def playlist(self) -> str:
        return f"{self.name}/index.m3u8"


# Highest first: hls.js starts on the first variant of the master playlist.
RENDITIONS = (Rendition("high", 640, 360, 900), Rendition("low", 320, 180, 300))


@dataclass(frozen=True)
class HlsVod:
    root: Path
    renditions: tuple[Rendition, ...]
    duration_s: int = DURATION_S
    master: str = "master.m3u8"

    @property
    def bitrates_kbps(self) -> set[int]:
        return {r.kbps for r in self.renditions}


def ffmpeg_available() -> bool:
    return Path(FFMPEG).exists()


def make_hls_vod(root: Path, renditions: tuple[Rendition, ...] = RENDITIONS) -> HlsVod:
    """Encode ``renditions`` of a 20 s test pattern into ``root`` (about a second of CPU)."""
    root.mkdir(parents=True, exist_ok=True)
    for r in renditions:
        out = root / r.name
        out.mkdir(exist_ok=True)
        rate = f"{r.kbps}k"
        subprocess.run(
            [
                FFMPEG, "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", f"testsrc2=size={r.width}x{r.height}:rate=25:duration={DURATION_S}",
                "-c:v", "libx264", "-profile:v", "baseline", "-level", "3.0", "-pix_fmt", "yuv420p",
                "-preset", "ultrafast", "-b:v", rate, "-maxrate", rate, "-bufsize", rate,
                "-g", str(25 * SEGMENT_S), "-keyint_min", str(25 * SEGMENT_S), "-sc_threshold", "0",
                "-f", "hls", "-hls_time", str(SEGMENT_S), "-hls_playlist_type", "vod",
                "-hls_segment_filename", str(out / "seg%03d.ts"), str(out / "index.m3u8"),
            ],
            check=True, capture_output=True, timeout=120,
        )
    lines = ["#EXTM3U", "#EXT-X-VERSION:3"]
    for r in renditions:
        lines.append(
            f'#EXT-X-STREAM-INF:BANDWIDTH={r.kbps * 1000},RESOLUTION={r.width}x{r.height},'
            f'CODECS="avc1.42c01e"'
        )
        lines.append(r.playlist)
    (root / "master.m3u8").write_text("\n".join(lines) + "\n")
    return HlsVod(root=root, renditions=renditions)
