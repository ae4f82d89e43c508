"""The catalogue the simulator draws from: channels, streams, servers, programmes, clients, places.

Everything here is *data*. Host names are under ``example.net`` (reserved, never resolvable) and
IP addresses are drawn from real public ranges only so that offline geo lookup (iptocc) places
viewers in several countries; nothing is ever contacted. User agents are real strings of the
clients a streaming service sees, weighted roughly like a general-audience OTT service.
"""

from __future__ import annotations

from dataclasses import dataclass

CDN_HOST = "https://cdn.demo-streaming.example.net"


@dataclass(frozen=True)
class Programme:
    content_id: str
    content_name: str
    series_name: str
    studio: str
    content_type: str  # live | vod


@dataclass(frozen=True)
class Channel:
    channel_id: str
    weight: float
    streams: tuple[str, ...]
    programmes: tuple[Programme, ...]
    ad_tags: tuple[str, ...]
    # Hours (UTC) when this channel draws extra viewers (a match, the evening news).
    peak_hours: tuple[int, ...] = ()


@dataclass(frozen=True)
class MediaServer:
    server_id: str
    server_name: str
    weight: float


@dataclass(frozen=True)
class Client:
    """One kind of viewer device/app: its user agent and what it can do."""

    label: str
    user_agent: str
    weight: float
    connections: tuple[str, ...]  # what the Network Information API would say; "" = not sent
    p2p: bool  # can run the peer-to-peer SDK
    max_kbps: int
    protocol: str = "HLS"
    explicit: tuple[tuple[str, str], ...] = ()  # fields an app sends itself (device_type …)


def _p(cid: str, name: str, series: str, studio: str, kind: str = "live") -> Programme:
    return Programme(cid, name, series, studio, kind)


CHANNELS: tuple[Channel, ...] = (
    Channel("news", 0.30, ("news-main", "news-backup"), (
        _p("news-morning", "Morning Briefing", "Morning Briefing", "Demo News"),
        _p("news-world", "World Tonight", "World Tonight", "Demo News"),
        _p("news-business", "Markets Live", "Markets Live", "Demo News"),
        _p("news-doc-ocean", "Ocean Frontiers", "Frontiers", "Blue Planet Films", "vod"),
    ), ("news-preroll", "news-midroll"), peak_hours=(7, 18, 19)),
    Channel("sport", 0.28, ("sport-1", "sport-2", "sport-4k"), (
        _p("sport-football-live", "Premier Football: Matchday", "Premier Football", "Demo Sports"),
        _p("sport-tennis", "Grand Slam Tennis", "Grand Slam Tennis", "Demo Sports"),
        _p("sport-f1", "Formula Race Weekend", "Formula Racing", "Velocity Media"),
        _p("sport-highlights", "Weekly Highlights", "Highlights", "Demo Sports", "vod"),
    ), ("sport-preroll", "sport-halftime", "sport-midroll"), peak_hours=(15, 19, 20)),
    Channel("movies", 0.25, ("movies-hls", "movies-dash"), (
        _p("mov-night-train", "The Night Train", "", "Northlight Pictures", "vod"),
        _p("mov-red-canyon", "Red Canyon", "", "Sierra Studios", "vod"),
        _p("mov-last-orbit", "The Last Orbit", "", "Northlight Pictures", "vod"),
        _p("mov-premiere", "Friday Premiere", "Friday Premiere", "Demo Movies"),
    ), ("movies-preroll",), peak_hours=(20, 21, 22)),
    Channel("kids", 0.17, ("kids-main",), (
        _p("kids-robots-s1e1", "Robo Pals: First Day", "Robo Pals", "Tiny Frames", "vod"),
        _p("kids-robots-s1e2", "Robo Pals: The Big Race", "Robo Pals", "Tiny Frames", "vod"),
        _p("kids-space-cadets", "Space Cadets", "Space Cadets", "Starboard Kids"),
    ), ("kids-safe-preroll",), peak_hours=(7, 16, 17)),
)

SERVERS: tuple[MediaServer, ...] = (
    MediaServer("edge-fra-1", "Frankfurt edge 1", 0.24),
    MediaServer("edge-lon-1", "London edge 1", 0.20),
    MediaServer("edge-nyc-1", "New York edge 1", 0.22),
    MediaServer("edge-sfo-1", "San Francisco edge 1", 0.16),
    MediaServer("edge-sao-1", "São Paulo edge 1", 0.08),
    MediaServer("edge-tyo-1", "Tokyo edge 1", 0.10),
)
ORIGIN = MediaServer("origin-1", "Origin ingest 1", 0.0)

# Rendition ladder: (kbps, representation id).
LADDER: tuple[tuple[int, str], ...] = (
    (400, "240p"), (800, "360p"), (1400, "480p"), (2800, "720p"), (5000, "1080p"), (12000, "2160p"),
)

_MOBILE = ("wifi", "cellular", "")
_HOME = ("wifi", "ethernet", "")
_TV = ("ethernet", "wifi", "")

CLIENTS: tuple[Client, ...] = (
    Client("iPhone Safari", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
           "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", 0.12, _MOBILE, True, 2800),
    Client("iPhone app (AVPlayer)", "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X; "
           "en_us)", 0.06, _MOBILE, True, 2800),
    Client("iPad Safari", "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
           "like Gecko) Version/16.6 Mobile/15E148 Safari/604.1", 0.03, _HOME, True, 5000),
    Client("iPod touch Safari", "Mozilla/5.0 (iPod touch; CPU iPhone OS 15_7 like Mac OS X) "
           "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6 Mobile/15E148 Safari/604.1",
           0.004, _MOBILE, True, 1400),
    Client("Android Chrome (Samsung)", "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 "
           "(KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36", 0.10, _MOBILE, True, 2800),
    Client("Android Chrome (Pixel)", "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 "
           "(KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36", 0.04, _MOBILE, True, 2800),
    Client("Samsung tablet Chrome", "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 "
           "(KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36", 0.015, _HOME, True, 5000),
    Client("Android app (ExoPlayer)", "DemoTV/5.4.0 (Linux;Android 13) ExoPlayerLib/2.19.1",
           0.06, _MOBILE, True, 2800, "DASH"),
    Client("Android WebView", "Mozilla/5.0 (Linux; Android 12; SM-A525F; wv) AppleWebKit/537.36 (KHTML, "
           "like Gecko) Version/4.0 Chrome/123.0.6312.118 Mobile Safari/537.36", 0.02, _MOBILE, True, 1400),
    Client("Windows Chrome", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
           "Gecko) Chrome/124.0.0.0 Safari/537.36", 0.13, _HOME, True, 5000),
    Client("Windows Edge", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
           "Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67", 0.05, _HOME, True, 5000),
    Client("Windows Firefox", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 "
           "Firefox/125.0", 0.03, _HOME, True, 5000),
    Client("Windows Opera", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
           "Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0", 0.008, _HOME, True, 5000),
    Client("Windows legacy Edge", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
           "like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19582", 0.004, _HOME, True, 2800),
    Client("Windows IE 11", "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
           0.002, ("",), False, 1400),
    Client("Windows desktop app (Electron)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
           "AppleWebKit/537.36 (KHTML, like Gecko) DemoTV/2.1.0 Chrome/120.0.6099.291 Electron/28.2.3 "
           "Safari/537.36", 0.01, _HOME, True, 5000),
    Client("macOS Safari", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, "
           "like Gecko) Version/17.4.1 Safari/605.1.15", 0.05, _HOME, True, 5000),
    Client("macOS Chrome", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, "
           "like Gecko) Chrome/124.0.0.0 Safari/537.36", 0.03, _HOME, True, 5000),
    Client("Linux Firefox", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 "
           "Firefox/125.0", 0.01, _HOME, True, 5000),
    Client("ChromeOS Chrome", "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like "
           "Gecko) Chrome/124.0.0.0 Safari/537.36", 0.01, _HOME, True, 2800),
    Client("VLC", "VLC/3.0.20 LibVLC/3.0.20", 0.008, ("",), False, 5000),
    Client("RTMP player", "Lavf/58.76.100", 0.004, ("",), False, 2800, "RTMP"),
    Client("Roku", "Roku/DVP-12.5 (12.5.0.4178-AE)", 0.05, _TV, False, 5000),
    Client("Fire TV Stick (Silk)", "Mozilla/5.0 (Linux; Android 9; AFTKA Build/PS7633.3445N) "
           "AppleWebKit/537.36 (KHTML, like Gecko) Silk/120.4.1 like Chrome/120.0.6099.283 Safari/537.36",
           0.03, _TV, True, 12000),
    Client("Samsung Tizen TV", "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.5) AppleWebKit/537.36 (KHTML, like "
           "Gecko) 85.0.4183.93/6.5 TV Safari/537.36", 0.04, _TV, False, 12000),
    Client("LG webOS TV", "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/87.0.4280.88 Safari/537.36 WebAppManager", 0.03, _TV, False, 12000),
    Client("Chromecast", "Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/114.0.0.0 Safari/537.36 CrKey/1.56.500000 DeviceType/Chromecast", 0.025, _TV, True, 5000),
    Client("Apple TV", "AppleCoreMedia/1.0.0.21J354 (Apple TV; U; CPU OS 17_0 like Mac OS X; en_us)",
           0.025, _TV, False, 12000),
    Client("Operator set-top box", "Mozilla/5.0 (Linux; Android 9; DV8555) AppleWebKit/537.36 (KHTML, "
           "like Gecko) Chrome/91.0.4472.120 Safari/537.36", 0.01, ("ethernet",), False, 5000, "DASH",
           (("device_type", "Set Top Box"),)),
)

# (ISO 3166 code, weight, /16 networks whose every address iptocc places in that country).
PLACES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("US", 0.34, ("73.15", "24.5", "98.200")),
    ("GB", 0.12, ("86.150", "86.160", "92.40")),
    ("DE", 0.10, ("91.64", "84.128", "178.200")),
    ("FR", 0.06, ("90.12", "88.160")),
    ("ES", 0.05, ("83.50", "95.20")),
    ("BR", 0.07, ("177.20", "177.30")),
    ("IN", 0.06, ("49.36", "117.200")),
    ("JP", 0.05, ("126.10", "60.70")),
    ("AU", 0.03, ("1.120", "101.160")),
    ("CA", 0.04, ("70.50", "99.230")),
    ("MX", 0.03, ("187.130",)),
    ("NL", 0.02, ("77.160", "145.53")),
    ("IT", 0.02, ("2.36", "79.20")),
    ("ZA", 0.005, ("41.13", "197.80")),
    ("KR", 0.005, ("110.70",)),
)
# Which edge a viewer in a country is usually sent to.
EDGE_OF_PLACE = {
    "US": ("edge-nyc-1", "edge-sfo-1"), "CA": ("edge-nyc-1",), "MX": ("edge-sfo-1",),
    "BR": ("edge-sao-1",), "GB": ("edge-lon-1",), "DE": ("edge-fra-1",), "FR": ("edge-fra-1", "edge-lon-1"),
    "ES": ("edge-fra-1",), "NL": ("edge-fra-1",), "IT": ("edge-fra-1",), "ZA": ("edge-lon-1",),
    "IN": ("edge-tyo-1", "edge-fra-1"), "JP": ("edge-tyo-1",), "AU": ("edge-tyo-1", "edge-sfo-1"),
    "KR": ("edge-tyo-1",),
}
# Publisher (encoder) addresses for stream_publish events: data only.
ENCODER_IPS = ("91.64.12.7", "73.15.200.31")

# Share of a day's session starts in each UTC hour (prime time peaks around 19–21 h).
HOURLY_CURVE: tuple[float, ...] = (
    0.45, 0.35, 0.28, 0.22, 0.20, 0.25, 0.40, 0.65, 0.80, 0.75, 0.70, 0.72,
    0.80, 0.82, 0.80, 0.85, 0.95, 1.10, 1.35, 1.70, 1.95, 1.85, 1.40, 0.80,
)
