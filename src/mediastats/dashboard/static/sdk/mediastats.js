// mediastats.js: the first-party playback beacon of mediastats (plain ES module, no dependencies).
//
//   import { track } from '/sdk/mediastats.js';
//   const t = track(video, {
//     endpoint: 'https://stats.example.com',   // where mediastats runs; default: this origin
//     ingestKey: 'YOUR_INGEST_KEY',
//     sessionAttributes: { channel_id: 'news', content_id: 'ep-12', content_name: 'Episode 12' },
//     hls, dash, videojs,                       // optional player instances, for bitrate and bytes
//     heartbeatMs: 10000,
//   });
//   t.stop();                                   // ends the view and detaches
//
// One tracked view is one session: `view_start` when playback is requested, a `heartbeat` every
// `heartbeatMs` while playing or stalled (paused views go quiet, so they stop counting as
// concurrent), `view_end` on end, on a new source, on stop() and on page hide. Every event
// carries the time played and stalled since the previous one (startup and seeks are neither),
// a buffer and bitrate sample, bytes loaded and frames dropped since the previous one.
// Events are batched to POST /v1/events and retried with backoff; each has an `event_id`, so a
// retried batch is never counted twice. On page hide, navigator.sendBeacon posts what is left to
// /v1/events?key=… as text/plain (a beacon cannot carry an Authorization header).

const IDLE = 0;
const PLAYING = 1;
const STALLED = 2;

export function track(video, options = {}) {
  const vjs = options.videojs;
  const el = video || (vjs && vjs.tech(true).el());
  if (!el) throw new TypeError('mediastats: track() needs a video element or a video.js player');
  const base = (options.endpoint || '').replace(/\/+$/, '') + '/v1/events';
  const key = options.ingestKey;
  const every = options.heartbeatMs || 10000;
  const player = adapter(options);
  const now = () => performance.now();

  let sid, seq, started, ended, playedOnce, mode, since, played, stalled, dropped;
  let queue = [];
  let beat = 0;
  let retry = 0;
  let backoff = 0;
  let sending = false;

  function reset() {
    sid = uuid();
    seq = 0;
    started = ended = playedOnce = false;
    mode = IDLE;
    since = now();
    played = stalled = 0;
    dropped = droppedFrames();
  }

  function settle() {
    const t = now();
    if (mode === PLAYING) played += t - since;
    if (mode === STALLED) stalled += t - since;
    since = t;
  }

  function setMode(next) {
    settle();
    mode = next;
    if (next === IDLE) stopBeat();
    else if (started && !ended && !beat) beat = setInterval(() => send('heartbeat'), every);
  }

  function send(type, extra) {
    settle();
    const p = Math.round(played);
    const s = Math.round(stalled);
    played -= p; // keep the sub-millisecond rest for the next event
    stalled -= s;
    const frames = droppedFrames();
    const event = {
      ts: Date.now(),
      type,
      event_id: sid + '-' + ++seq,
      session_id: sid,
      played_ms: p,
      rebuffer_ms: s,
      dropped_frames: frames >= dropped ? frames - dropped : frames,
    };
    dropped = frames;
    const bps = safe(player.bps);
    if (bps > 0) event.bitrate_kbps = Math.round(bps / 1000);
    const ahead = bufferAhead(el);
    if (ahead >= 0) event.buffer_ms = ahead;
    const loaded = safe(player.bytes);
    if (loaded > 0) event.bytes_cdn = loaded;
    queue.push(Object.assign(event, extra));
    if (queue.length > 1000) queue.splice(0, queue.length - 1000);
    flush();
  }

  function start() {
    if (started && !ended) return;
    if (ended) reset(); // replay after the end: a new view
    started = true;
    const src = /^https?:/.test(el.currentSrc) ? el.currentSrc : undefined; // not blob: (MSE)
    // The user agent and a viewer id ride along: /v1/events does not take them from the request,
    // and without them every viewer of the account would be one unique viewer with no device.
    const attributes = {
      protocol: player.protocol,
      stream_uri: safe(player.uri) || src,
      user_agent: navigator.userAgent,
      viewer_id: viewerId(),
    };
    if (el.duration === Infinity) attributes.content_type = 'live';
    else if (el.duration > 0) attributes.content_type = 'vod';
    send('view_start', Object.assign(attributes, options.sessionAttributes));
  }

  function end(beacon) {
    if (!started || ended) return;
    send('view_end');
    ended = true;
    setMode(IDLE);
    if (beacon) flush(true);
  }

  function stopBeat() {
    clearInterval(beat);
    beat = 0;
  }

  function flush(beacon) {
    if (!queue.length) return;
    if (beacon === true) {
      const url = base + '?key=' + encodeURIComponent(key);
      const body = JSON.stringify(queue.slice(-200));
      if (navigator.sendBeacon && navigator.sendBeacon(url, body)) queue = [];
      return;
    }
    if (sending || retry) return;
    const batch = queue.slice(0, 200);
    sending = true;
    const body = JSON.stringify(batch);
    fetch(base, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + key },
      body,
      keepalive: body.length < 60000,
    })
      .then((response) => {
        const status = response.status;
        // 4xx other than 408/429 will never succeed: drop the batch rather than loop.
        return response.ok || (status >= 400 && status < 500 && status !== 408 && status !== 429);
      })
      .catch(() => false)
      .then((done) => {
        sending = false;
        if (done) {
          queue = queue.filter((event) => !batch.includes(event));
          backoff = 0;
          flush();
        } else {
          backoff = Math.min(60000, (backoff || 1000) * 2);
          retry = setTimeout(() => {
            retry = 0;
            flush();
          }, backoff);
        }
      });
  }

  function droppedFrames() {
    const quality = el.getVideoPlaybackQuality && el.getVideoPlaybackQuality();
    return quality ? quality.droppedVideoFrames : 0;
  }

  const onVideo = {
    play: start,
    playing: () => {
      start();
      playedOnce = true;
      setMode(PLAYING);
    },
    // Startup and seeks wait for data too, but they are not stalls.
    waiting: () => setMode(playedOnce && !ended && !el.seeking ? STALLED : IDLE),
    seeking: () => setMode(IDLE),
    // A seek inside the buffer fires no 'playing': resume from 'seeked'.
    seeked: () => setMode(playedOnce && !ended && !el.paused && el.readyState > 2 ? PLAYING : IDLE),
    pause: () => {
      setMode(IDLE);
      if (started && !ended) send('heartbeat');
    },
    ended: () => end(),
    emptied: () => {
      end();
      reset();
    },
  };
  const onPageHide = () => end(true);
  const onVisibility = () => {
    if (document.visibilityState === 'hidden' && started && !ended) {
      send('heartbeat');
      flush(true);
    }
  };

  reset();
  for (const name in onVideo) el.addEventListener(name, onVideo[name]);
  addEventListener('pagehide', onPageHide);
  addEventListener('visibilitychange', onVisibility);
  if (!el.paused && el.readyState > 2) onVideo.playing();

  return {
    get sessionId() {
      return sid;
    },
    stop() {
      end();
      stopBeat();
      for (const name in onVideo) el.removeEventListener(name, onVideo[name]);
      removeEventListener('pagehide', onPageHide);
      removeEventListener('visibilitychange', onVisibility);
      player.off();
    },
  };
}

// What a player library knows that the element does not: bitrate (bps), bytes, the manifest.
function adapter(options) {
  const { hls, dash, videojs: vjs } = options;
  const none = { protocol: undefined, bps: () => 0, bytes: () => 0, uri: () => undefined, off() {} };
  let bytes = 0;
  if (hls) {
    const onFrag = (_, data) => (bytes += (data && data.frag && data.frag.stats && data.frag.stats.loaded) || 0);
    hls.on('hlsFragLoaded', onFrag);
    return {
      protocol: 'HLS',
      bps: () => (hls.levels && hls.levels[hls.currentLevel] ? hls.levels[hls.currentLevel].bitrate : 0),
      bytes: () => take(),
      uri: () => hls.url,
      off: () => hls.off('hlsFragLoaded', onFrag),
    };
  }
  if (dash) {
    const onFrag = (e) => (bytes += (e && e.response && e.response.byteLength) || 0);
    dash.on('fragmentLoadingCompleted', onFrag);
    return {
      protocol: 'DASH',
      bps: () => {
        if (dash.getCurrentRepresentationForType) {
          const r = dash.getCurrentRepresentationForType('video'); // dash.js 5
          return r ? r.bandwidth : 0;
        }
        const list = dash.getBitrateInfoListFor('video') || []; // dash.js 4
        const info = list[dash.getQualityFor('video')];
        return info ? info.bitrate : 0;
      },
      bytes: () => take(),
      uri: () => (typeof dash.getSource() === 'string' ? dash.getSource() : undefined),
      off: () => dash.off('fragmentLoadingCompleted', onFrag),
    };
  }
  if (vjs) {
    const vhs = () => {
      const tech = vjs.tech(true);
      return (tech && (tech.vhs || tech.hls)) || undefined;
    };
    let total = 0;
    return {
      get protocol() {
        const type = String(vjs.currentType() || ''); // known once a source is set
        return /mpegurl/i.test(type) ? 'HLS' : /dash/i.test(type) ? 'DASH' : undefined;
      },
      bps: () => {
        const media = vhs() && vhs().playlists && vhs().playlists.media();
        return media && media.attributes ? media.attributes.BANDWIDTH : 0;
      },
      bytes: () => {
        const now = (vhs() && vhs().stats && vhs().stats.mediaBytesTransferred) || 0;
        const delta = now >= total ? now - total : now;
        total = now;
        return delta;
      },
      uri: () => vjs.currentSrc(),
      off() {},
    };
  }
  return none;

  function take() {
    const b = bytes;
    bytes = 0;
    return b;
  }
}

function bufferAhead(el) {
  const ranges = el.buffered;
  const t = el.currentTime;
  for (let i = 0; ranges && i < ranges.length; i++) {
    if (ranges.start(i) <= t && t <= ranges.end(i)) return Math.round((ranges.end(i) - t) * 1000);
  }
  return ranges && ranges.length ? 0 : -1;
}

// A player API that throws (not ready yet, another version) must never break the page.
function safe(read) {
  try {
    return read();
  } catch (error) {
    return undefined;
  }
}

// A random id kept in this origin's localStorage, so a returning viewer counts once; without
// storage (private mode, sandboxed frames) one id per page load.
let pageViewer;
function viewerId() {
  const name = 'mediastats_viewer';
  try {
    const kept = localStorage.getItem(name);
    if (kept) return kept;
    const fresh = uuid();
    localStorage.setItem(name, fresh);
    return fresh;
  } catch (error) {
    return (pageViewer = pageViewer || uuid());
  }
}

function uuid() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
}
