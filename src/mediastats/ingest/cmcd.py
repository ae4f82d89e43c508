"""CMCD (CTA-5004) ingestion: the second door into the CONTRACT §3 events.

``POST /v1/cmcd/{ingest_key}`` takes a v2 event-mode body (``application/cmcd``, one RFC 8941
dictionary per line) or a v1 report (``?CMCD=`` query value, ``CMCD-*`` headers), as players,
CDNs and origin log shippers send them. Syntax lives in ``cmcd_parse`` (``http_sfv`` does the
grammar), meaning in ``cmcd_map`` (play-state arithmetic, event ids). This module is the API::

    records, malformed = parse_v2_body(body)              # v2 event mode
    record = parse_v1(query_params.get("CMCD"), headers)  # v1 / v2 request mode; None: no CMCD
    events = tracker.to_events(records, user_agent=ua, ip=ip, now_ms=now, scope=account_id)

How every key becomes (or does not become) an event field:

=======  ==================================  ===================================================
key      CMCD meaning                        event field
=======  ==================================  ===================================================
sid      session id                          ``session_id`` (required; a report without it is
                                             malformed); its first report is a ``view_start``
cid      content id                          ``content_id``
st       stream type v / l                   ``content_type`` ``vod`` / ``live``
sf       format d, h, s (ld, lh, e)          ``protocol`` ``DASH``, ``HLS``, ``Smooth``, ``HESP``
url      requested URL (response mode, rr)   ``stream_uri``
nor      next object (relative path)         ``stream_uri`` only when it is an absolute URL
br       encoded bitrate, kbps               ``bitrate_kbps`` when ``ot`` is v / av / absent
pb       playhead bitrate, kbps (v2)         ``bitrate_kbps``, preferred over ``br``
bl       buffer length, ms                   ``buffer_ms`` when ``ot`` is v / av / absent
ts       report time, epoch ms (v2)          ``ts``; absent (v1) → the time it was received
sta      play state (v2)                     ``played_ms`` / ``rebuffer_ms`` deltas (``cmcd_map``);
                                             ``view_end`` on e / f / q, ``view_start`` on s
e        event-mode event type (v2)          none by itself: ps, t, e, c, b, m, um, pe, pc, rr,
                                             bc, pr, h, as, ae, abs, abe, sk, ce are heartbeats
                                             unless ``sta`` says otherwise
dfa, df  dropped frames since start (v2)     ``dropped_frames`` delta
bsda     stall time since start, ms (v2)     ``rebuffer_ms`` delta, only for sessions that never
                                             report ``sta`` (else double counting)
ttfb     time to first byte, ms (response)   ``request_rtt_ms`` (a request's round trip as the
                                             player saw it)
mtp      measured throughput, kbps           nothing: an ABR estimate, not bytes moved (traffic
                                             is ``bytes_*``) nor a round trip; kept on the record
bs       buffer starved since last request   nothing: carries no duration; rebuffering comes from
                                             ``sta`` (or ``bsda``)
bsd,bsa  stall durations / count (v2)        nothing: ``sta`` already times each stall
ot       object type                         selects which ``br`` / ``bl`` count (see above)
v        version (absent = 1)                none; v1 and v2 lines may be mixed in one body
d, dl    object duration, deadline           nothing (request scheduling, not viewing)
nrr      next range request (v1)             nothing
pr       playback rate                       nothing (viewing time is wall-clock time)
rtp      requested max throughput            nothing
su       startup / urgent request            nothing (startup is not a stall)
tb, tpb  top (playable) bitrate              nothing
lb, ab,  lowest / aggregate / top aggregate  nothing
lab, tab bitrates
tbl      target buffer length                nothing
msd      media start delay, ms (v2)          nothing: the contract has no startup-time field
ltc      live latency, ms (v2)               nothing: no latency field
pt       playhead time (v2)                  nothing
sn       sequence number (v2)                nothing (part of the event id, like every key)
ec       error codes (v2)                    nothing; fatal errors end the view via ``sta=f``
bg, nr   backgrounded, non-rendered (v2)     nothing
cdn      delivery network id (v2)            nothing (not a media server: no ``server_id``)
cs, h,   signature, host, custom event name  nothing
cen
rc,      response code, timings (response)   nothing (``ttfb`` above is kept)
ttfbb,
ttlb
cmsdd,   CMSD headers echoed, SMRT data      nothing
cmsds,
smrt
other    unknown / custom (``com.x-…``)      ignored, kept in ``CmcdRecord.keys``
=======  ==================================  ===================================================

Every event also carries ``type``, ``event_id`` (stable per report, so resends deduplicate),
``user_agent`` and ``ip`` of the HTTP request. Nothing else is filled in: ``channel_id`` takes
its default and enrichment derives player, OS and country as for any event.
"""

from __future__ import annotations

from mediastats.ingest.cmcd_map import CmcdSessionTracker
from mediastats.ingest.cmcd_parse import (
    CmcdBatch,
    CmcdError,
    CmcdRecord,
    parse_v1,
    parse_v2_body,
    parse_v2_lines,
)

CMCD_CONTENT_TYPE = "application/cmcd"

__all__ = [
    "CMCD_CONTENT_TYPE",
    "CmcdBatch",
    "CmcdError",
    "CmcdRecord",
    "CmcdSessionTracker",
    "parse_v1",
    "parse_v2_body",
    "parse_v2_lines",
]
