"""Test pages: hls.js plays the VOD muted; the page measures, independently of any reporter, how
long playback really ran (wall time between ``timeupdate`` events while the playhead advances)
and which renditions hls.js picked.

``window.measure`` holds the figures; ``window.finish()`` pauses and resolves with them.
"""

from __future__ import annotations

import json
from typing import Any

CONTENT_ID = "pattern-20s"
# Start on the low rendition: on loopback, hls.js's ABR soon moves up, so the reporters must
# follow a rendition switch (the session's bitrate is the latest one, CONTRACT §3).
HLS_CONFIG = {"startLevel": 0}  # hls.js sorts its levels by bitrate: 0 is the lowest

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>mediastats e2e</title></head>
<body>
<video id="video" muted autoplay playsinline width="640" height="360"></video>
<script src="/vendor/hls.js/hls.min.js"></script>
<script type="module">
const CFG = __CFG__;
const video = document.getElementById('video');
const m = window.measure = {
  playedMs: 0, firstTime: null, lastTime: null, switchesKbps: [], currentKbps: null,
  hlsVersion: Hls.version, errors: [],
};
let last = null; // {wall, t}: the previous timeupdate while playing
video.addEventListener('timeupdate', () => {
  const wall = performance.now(), t = video.currentTime;
  if (last && !video.paused && !video.seeking && t > last.t) m.playedMs += wall - last.wall;
  last = video.paused ? null : { wall, t };
  if (m.firstTime === null && t > 0) m.firstTime = t;
  m.lastTime = t;
});
video.addEventListener('waiting', () => { last = null; });
__SETUP__
hls.on(Hls.Events.LEVEL_SWITCHING, (_, data) => m.switchesKbps.push(data.bitrate / 1000));
hls.on(Hls.Events.ERROR, (_, data) => m.errors.push(data.details + (data.fatal ? ' (fatal)' : '')));
hls.attachMedia(video);
hls.loadSource('/media/master.m3u8');
window.hls = hls;
window.finish = () => new Promise((resolve) => {
  const level = hls.levels[hls.currentLevel];
  m.currentKbps = level ? level.bitrate / 1000 : null;
  video.addEventListener('pause', () => resolve(m), { once: true });
  video.pause();
});
</script>
</body></html>
"""

_BEACON = """
const { track } = await import(CFG.server + '/sdk/mediastats.js');
const hls = new Hls(CFG.hls);
window.tracker = track(video, {
  endpoint: CFG.server, ingestKey: CFG.ingestKey, hls, heartbeatMs: 5000,
  sessionAttributes: { channel_id: 'e2e', content_id: CFG.contentId },
});
"""

_CMCD_V2 = """
const hls = new Hls({ ...CFG.hls, cmcd: {
  version: 2, contentId: CFG.contentId, useHeaders: false,
  eventTargets: [{ url: CFG.server + '/v1/cmcd/' + CFG.ingestKey,
                   events: ['ps', 't', 'e', 'bc'], interval: 5, batchSize: 1 }],
} });
"""

_CMCD_V1 = """
const hls = new Hls({ ...CFG.hls, cmcd: { contentId: CFG.contentId, useHeaders: false } });
"""

SETUPS = {"beacon": _BEACON, "cmcd_v2": _CMCD_V2, "cmcd_v1": _CMCD_V1}


def player_page(kind: str, server: str, ingest_key: str) -> str:
    """The HTML of a page that plays ``/media/master.m3u8`` reporting the ``kind`` way."""
    cfg: dict[str, Any] = {"server": server, "ingestKey": ingest_key, "contentId": CONTENT_ID,
                           "hls": HLS_CONFIG}
    return _PAGE.replace("__CFG__", json.dumps(cfg)).replace("__SETUP__", SETUPS[kind])
