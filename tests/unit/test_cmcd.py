"""CMCD parsing and mapping: every v1 key, v2 event keys, bad input, play-state arithmetic."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from mediastats.ingest.cmcd import (
    CmcdError,
    CmcdRecord,
    CmcdSessionTracker,
    parse_v1,
    parse_v2_body,
    parse_v2_lines,
)
from mediastats.model.event import Event

NOW = 1_700_000_100_000
SID = '"6e2fb550-c457-11e9-bb97-0800200c9a66"'


def events_of(records: list[CmcdRecord], tracker: CmcdSessionTracker | None = None) -> list[dict]:
    tracker = tracker if tracker is not None else CmcdSessionTracker()
    return tracker.to_events(records, user_agent="UA/1.0", ip="203.0.113.7", now_ms=NOW)


def one_v1(query: str) -> tuple[CmcdRecord, dict]:
    record = parse_v1(query, {})
    assert record is not None
    [event] = events_of([record])
    return record, event


# --- every CTA-5004 v1 key --------------------------------------------------------------------

V1_KEYS = [
    # (CMCD value without sid, expected subset of the event, event keys that must be absent)
    ("br=3200,ot=v", {"bitrate_kbps": 3200}, ()),
    ("br=3200", {"bitrate_kbps": 3200}, ()),
    ("br=128,ot=a", {}, ("bitrate_kbps",)),  # audio bitrate is not the rendition
    ("bl=21300,ot=av", {"buffer_ms": 21300}, ()),
    ("bl=21300,ot=a", {}, ("buffer_ms",)),
    ("bs", {"rebuffer_ms": 0}, ()),  # starved, but for how long? no duration → nothing
    (
        'cid="faec5fc2-ac30-11ea-bb37-0242ac130002"',
        {"content_id": "faec5fc2-ac30-11ea-bb37-0242ac130002"},
        (),
    ),
    ("d=4004", {}, ()),
    ("dl=18500", {}, ()),
    ("mtp=25400", {}, ("request_rtt_ms", "bytes_cdn", "bitrate_kbps", "buffer_fill_rate")),
    ('nor="..%2F300kbps%2Fsegment35.m4v"', {}, ("stream_uri",)),  # relative: names no stream
    (
        'nor="https%3A%2F%2Fcdn.example%2Flive%2Fseg36.m4s"',
        {"stream_uri": "https://cdn.example/live/seg36.m4s"},
        (),
    ),
    ('nrr="12323-48763"', {}, ()),
    ("ot=m", {}, ("bitrate_kbps",)),
    ("pr=1.08", {}, ()),
    ("rtp=12000", {}, ()),
    ("sf=d", {"protocol": "DASH"}, ()),
    ("sf=h", {"protocol": "HLS"}, ()),
    ("sf=s", {"protocol": "Smooth"}, ()),
    ("sf=o", {}, ("protocol",)),
    ("st=v", {"content_type": "vod"}, ()),
    ("st=l", {"content_type": "live"}, ()),
    ("su", {}, ()),
    ("tb=6000", {}, ("bitrate_kbps",)),
    ("v=1", {}, ()),
]


@pytest.mark.parametrize(("cmcd", "expected", "absent"), V1_KEYS)
def test_every_v1_key(cmcd: str, expected: dict, absent: tuple[str, ...]) -> None:
    record, event = one_v1(f"{cmcd},sid={SID}")
    key = cmcd.split("=")[0].split(",")[0]
    assert key in record.keys
    assert event["session_id"] == "6e2fb550-c457-11e9-bb97-0800200c9a66"
    assert event["type"] == "view_start"
    assert event["ts"] == NOW  # v1 has no ts: the time it was received
    assert {k: event[k] for k in expected} == expected
    assert not set(absent) & set(event)
    msgspec.convert(event, Event)  # a valid CONTRACT §3 event


def test_v1_key_values_are_typed() -> None:
    record = parse_v1(
        f'br=3200,bl=21300,bs,cid="c",d=4004.4,dl=18500,mtp=25400,nor="n",nrr="1-2",ot=v,pr=1.08,'
        f"rtp=12000,sf=d,sid={SID},st=v,su,tb=6000,v=1",
        {},
    )
    assert record is not None
    assert (record.br, record.bl, record.mtp, record.ot, record.st, record.sf, record.v) == (
        3200, 21300, 25400, "v", "v", "d", 1,
    )  # fmt: skip
    assert record.keys["d"] == Decimal("4004.4")
    assert record.keys["bs"] is True and record.keys["su"] is True
    assert record.keys["nrr"] == "1-2" and record.nor == "n"
    assert record.transport == "query"


def test_mtp_is_kept_on_the_record_but_maps_to_nothing() -> None:
    record, event = one_v1(f"mtp=25400,sid={SID}")
    assert record.mtp == 25400
    assert 25400 not in event.values()


# --- v1 transports ----------------------------------------------------------------------------


def test_v1_headers_are_merged_case_insensitively() -> None:
    headers = {
        "CMCD-Object": "br=3200,d=4004,ot=v,tb=6000",
        "cmcd-request": "bl=21300,dl=18500,mtp=48100,su",
        "Cmcd-Session": f'cid="movie",sf=d,sid={SID},st=v',
        "CMCD-Status": "bs,rtp=15000",
        "User-Agent": "not CMCD",
    }
    record = parse_v1(None, headers)
    assert record is not None
    assert record.transport == "headers"
    assert set(record.keys) == {
        "br",
        "d",
        "ot",
        "tb",
        "bl",
        "dl",
        "mtp",
        "su",
        "cid",
        "sf",
        "sid",
        "st",
        "bs",
        "rtp",
    }
    [event] = events_of([record])
    assert event["bitrate_kbps"] == 3200 and event["buffer_ms"] == 21300 and event["content_id"] == "movie"


def test_v1_header_order_does_not_change_the_event_id() -> None:
    a = parse_v1(None, {"CMCD-Object": "br=3200", "CMCD-Session": f"sid={SID}"})
    b = parse_v1(None, {"CMCD-Session": f"sid={SID}", "CMCD-Object": "br=3200"})
    assert a is not None and b is not None and a.digest == b.digest


def test_v1_query_wins_over_headers() -> None:
    record = parse_v1(f"br=900,sid={SID}", {"CMCD-Object": "br=3200,ot=v"})
    assert record is not None and record.br == 900 and record.ot == "v" and record.transport == "query"


def test_v1_without_cmcd_is_none() -> None:
    assert parse_v1(None, {"Accept": "*/*"}) is None
    assert parse_v1("", {"CMCD-Object": "  "}) is None


def test_v1_percent_encoded_twice_is_decoded() -> None:
    record = parse_v1("br%3D3200%2Csid%3D%22abc%22", {})
    assert record is not None and record.sid == "abc" and record.br == 3200


@pytest.mark.parametrize(
    ("query", "headers", "reason"),
    [
        ("br=3200,sid", {}, "sid must be a string"),
        ("br=3200", {}, "no sid"),
        ("BR=3200", {}, "not an RFC 8941 dictionary"),
        (None, {"CMCD-Object": "br=(((("}, "not an RFC 8941 dictionary"),
        (f'br="fast",sid={SID}', {}, "br must be a number"),
        (f"bl=-100,sid={SID}", {}, "bl must not be negative"),
    ],
)
def test_v1_malformed_raises_with_reason(query: str | None, headers: dict[str, str], reason: str) -> None:
    with pytest.raises(CmcdError, match=reason):
        parse_v1(query, headers)


# --- v2 event mode ----------------------------------------------------------------------------


def test_v2_event_keys() -> None:
    line = (
        f'e=t,sid={SID},cid="movie",ts=1700000000000,sta=p,v=2,sn=7,msd=1500,ltc=3200,pt=61000,'
        "pb=(3200;v 128;a),br=(4000;v 96;a),bl=(3000;a 5000;v),mtp=(25400),dfa=2,bsda=(0),"
        'ec=("E1"),bg,cdn="cdn-a",tbl=(20000;v),lab=(100),tab=(9000),lb=(200;v),tpb=(6000;v),ab=(3300)'
    )
    [record], malformed = parse_v2_body(line.encode())
    assert malformed == 0
    assert (record.e, record.sta, record.ts, record.v) == ("t", "p", 1_700_000_000_000, 2)
    assert (record.pb, record.br, record.bl, record.mtp, record.dfa) == (3200, 4000, 5000, 25400, 2)
    assert record.keys["msd"] == 1500 and record.keys["ltc"] == 3200 and record.keys["pt"] == 61000
    assert record.keys["ec"] == ("E1",) and record.keys["sn"] == 7 and record.keys["bg"] is True
    [event] = events_of([record])
    assert event["ts"] == 1_700_000_000_000
    assert event["bitrate_kbps"] == 3200  # pb: what is on screen wins over br
    assert event["buffer_ms"] == 5000  # the video buffer of the inner list
    assert event["dropped_frames"] == 2
    assert not {"msd", "ltc", "pt", "cdn"} & set(event)
    msgspec.convert(event, Event)


@pytest.mark.parametrize(
    ("bl", "ot", "expected"),
    [
        ("(3000;a 5000;v)", None, 5000),  # video preferred
        ("(3000;a 5000;av)", None, 5000),  # then muxed
        ("(3000;a 4500)", None, 4500),  # then the item without a type
        ("(3000;a 2000;tt)", None, 3000),  # else the first
        ("(3000;a 5000;v)", "a", 3000),  # the record's own object type first
        ("4200", None, 4200),  # a v1-style scalar in a v2 body
    ],
)
def test_v2_inner_list_pick(bl: str, ot: str | None, expected: int) -> None:
    line = f"sid={SID},bl={bl}" + (f",ot={ot}" if ot else "")
    [record], _ = parse_v2_body(line.encode())
    assert record.bl == expected


def test_v2_response_keys_url_and_ttfb() -> None:
    line = f'e=rr,sid={SID},ts=1700000000000,url="https://cdn.example/movie/master.m3u8",ttfb=120,rc=200,ttlb=480'
    [event] = events_of(parse_v2_body(line.encode())[0])
    assert event["stream_uri"] == "https://cdn.example/movie/master.m3u8"
    assert event["request_rtt_ms"] == 120  # time to first byte, not mtp


def test_v2_timestamp_as_sf_date() -> None:
    [record], _ = parse_v2_body(f"sid={SID},ts=@1700000000".encode())
    assert record.ts == 1_700_000_000_000


def test_unknown_and_custom_keys_are_ignored() -> None:
    line = f'sid={SID},com.example-foo="bar",zz=?0,x-y=(1 2 3),e=zz,sta=zz'
    [record], malformed = parse_v2_body(line.encode())
    assert malformed == 0
    assert record.keys["com.example-foo"] == "bar" and record.keys["x-y"] == (1, 2, 3)
    [event] = events_of([record])
    assert set(event) == {
        "ts",
        "type",
        "event_id",
        "session_id",
        "played_ms",
        "rebuffer_ms",
        "user_agent",
        "ip",
    }


# --- malformed input, limits ------------------------------------------------------------------

MALFORMED = [
    (b'br=3200,,sid="a"', "not an RFC 8941 dictionary"),
    (b'sid="unterminated', "not an RFC 8941 dictionary"),
    (b'Sid="a"', "not an RFC 8941 dictionary"),  # keys are lowercase
    (b'sid="a",', "not an RFC 8941 dictionary"),  # trailing comma
    (b'sid="caf\xc3\xa9"', "not an RFC 8941 dictionary"),  # sf-string is ASCII
    (b'{"sid": "a"}', "not an RFC 8941 dictionary"),  # JSON is not CMCD
    (b"br=3200", "no sid"),
    (b"sid=42", "sid must be a string"),
    (b'sid="a",ts="yesterday"', "ts must be a number"),
    (b'sid="a",br=(fast;v)', "br must be a number"),
    (b'sid="a",sta=?1', "sta must be a string"),
    (b'sid="a",dfa=-1', "dfa must not be negative"),
]


@pytest.mark.parametrize(("line", "reason"), MALFORMED)
def test_malformed_line_is_skipped_and_counted(line: bytes, reason: str) -> None:
    body = b'sid="ok1",ts=1\n' + line + b'\nsid="ok2",ts=2\n'
    batch = parse_v2_lines(body)
    assert [record.sid for record in batch.records] == ["ok1", "ok2"]
    assert len(batch.errors) == 1
    number, message = batch.errors[0]
    assert number == 2 and reason in message
    assert parse_v2_body(body)[1] == 1


def test_all_malformed_lines_are_counted() -> None:
    body = b"\n".join(line for line, _ in MALFORMED)
    records, malformed = parse_v2_body(body)
    assert records == [] and malformed == len(MALFORMED)


def test_blank_lines_and_crlf_are_not_errors() -> None:
    records, malformed = parse_v2_body(b'\r\n  \nsid="a",ts=1\r\n\n\tsid="b",ts=2 \r\n')
    assert [r.sid for r in records] == ["a", "b"] and malformed == 0


def test_huge_line_is_rejected_with_a_clear_counted_error() -> None:
    prefix = b'sid="a",x="'
    at_limit = prefix + b"y" * (100 - len(prefix) - 1) + b'"'
    over = prefix + b"y" * (101 - len(prefix) - 1) + b'"'
    assert len(at_limit) == 100 and len(over) == 101
    batch = parse_v2_lines(b"\n".join([at_limit, over, b'sid="b"']), max_line_bytes=100)
    assert [r.sid for r in batch.records] == ["a", "b"]
    assert batch.errors == [(2, "line is 101 bytes, over the 100-byte limit")]


def test_default_line_limit_is_16_kib() -> None:
    huge = b'sid="a",x="' + b"y" * 20_000 + b'"'
    records, malformed = parse_v2_body(huge + b'\nsid="b"')
    assert [r.sid for r in records] == ["b"] and malformed == 1


def test_mixed_versions_in_one_body() -> None:
    body = (
        f"br=3200,bl=21300,ot=v,sid={SID}\n"  # v1 line: scalars, no v
        f"e=t,sid={SID},ts=1700000000000,br=(4000;v),bl=(9000;v),v=2\n"
    ).encode()
    records, malformed = parse_v2_body(body)
    assert malformed == 0 and [r.v for r in records] == [1, 2]
    first, second = events_of(records)  # the v1 line happens "now", after the v2 one
    assert (first["bitrate_kbps"], first["buffer_ms"]) == (4000, 9000)
    assert (second["bitrate_kbps"], second["buffer_ms"]) == (3200, 21300)


# --- play state → played / rebuffer, by hand ---------------------------------------------------


def play(*steps: str, tracker: CmcdSessionTracker | None = None, sid: str = "s1") -> list[dict]:
    """``steps`` are ``"<ts>:<sta or e=…>"`` shorthands for one session's v2 lines."""
    lines = []
    for step in steps:
        ts, what = step.split(":")
        key = "e" if what.startswith("e=") else "sta"
        lines.append(f'sid="{sid}",ts={ts},v=2,' + (what if key == "e" else f"e=ps,sta={what}"))
    records, malformed = parse_v2_body("\n".join(lines).encode())
    assert malformed == 0
    return events_of(records, tracker)


def test_worked_example_played_and_rebuffer() -> None:
    events = play("1000:s", "2500:p", "12500:e=t", "15000:r", "17200:p", "20000:a", "50000:p", "53000:e")
    # s→p: startup (1500) is not played; p 2500→12500 = 10000; p 12500→15000 = 2500;
    # r 15000→17200 = 2200 rebuffer; p 17200→20000 = 2800; paused 30000 counts nothing;
    # p 50000→53000 = 3000.
    assert [e["played_ms"] for e in events] == [0, 0, 10000, 2500, 0, 2800, 0, 3000]
    assert [e["rebuffer_ms"] for e in events] == [0, 0, 0, 0, 2200, 0, 0, 0]
    assert sum(e["played_ms"] for e in events) == 18300
    assert [e["type"] for e in events] == ["view_start"] + ["heartbeat"] * 6 + ["view_end"]
    for event in events:
        msgspec.convert(event, Event)


def test_seeking_waiting_and_preloading_are_neither_played_nor_rebuffer() -> None:
    events = play("0:d", "5000:s", "6000:p", "8000:k", "9000:p", "10000:w", "11000:p", "12000:q")
    assert [e["played_ms"] for e in events] == [0, 0, 0, 2000, 0, 1000, 0, 1000]
    assert sum(e["rebuffer_ms"] for e in events) == 0
    assert [e["type"] for e in events][:2] == ["view_start", "view_start"]  # first sight, then s
    assert events[-1]["type"] == "view_end"


def test_fatal_error_ends_the_view_and_a_restart_starts_one() -> None:
    events = play("0:s", "1000:p", "4000:f", "9000:s", "9500:p", "10500:e")
    assert [e["type"] for e in events] == [
        "view_start", "heartbeat", "view_end", "view_start", "heartbeat", "view_end",
    ]  # fmt: skip
    assert [e["played_ms"] for e in events] == [0, 0, 3000, 0, 0, 1000]


def test_state_carries_across_batches() -> None:
    tracker = CmcdSessionTracker()
    play("0:s", "1000:p", tracker=tracker)
    [later] = play("31000:e=t", tracker=tracker)
    assert later["type"] == "heartbeat" and later["played_ms"] == 30000


def test_out_of_order_batch_is_sorted() -> None:
    events = play("12500:e=t", "2500:p", "1000:s")
    assert [e["ts"] for e in events] == [1000, 2500, 12500]
    assert [e["played_ms"] for e in events] == [0, 0, 10000]


def test_older_report_in_a_later_batch_credits_nothing_and_keeps_the_state() -> None:
    tracker = CmcdSessionTracker()
    play("0:s", "1000:p", "10000:e=t", tracker=tracker)
    [stale] = play("5000:r", tracker=tracker)  # e.g. an rr report stamped at request time
    assert (stale["played_ms"], stale["rebuffer_ms"]) == (0, 0)
    [after] = play("12000:e=t", tracker=tracker)
    assert (after["played_ms"], after["rebuffer_ms"]) == (2000, 0)  # still playing


def test_gap_longer_than_max_gap_credits_nothing() -> None:
    tracker = CmcdSessionTracker(max_gap_ms=60_000)
    events = play("0:p", "60000:e=t", "180001:e=t", "190001:e=t", tracker=tracker)
    assert [e["played_ms"] for e in events] == [0, 60000, 0, 10000]


def test_bsda_gives_rebuffer_only_without_play_states() -> None:
    lines = 'sid="b",ts=0,e=t,bsda=(0)\nsid="b",ts=10000,e=t,bsda=(1500)\nsid="b",ts=20000,e=t,bsda=(1500)'
    events = events_of(parse_v2_body(lines.encode())[0])
    assert [e["rebuffer_ms"] for e in events] == [0, 1500, 0]
    # with sta, the stall is timed from the states and bsda is not added on top
    lines = 'sid="c",ts=0,sta=r\nsid="c",ts=2000,sta=p,bsda=(2000)'
    events = events_of(parse_v2_body(lines.encode())[0])
    assert [e["rebuffer_ms"] for e in events] == [0, 2000]


def test_dropped_frames_absolute_becomes_deltas() -> None:
    lines = "\n".join(f'sid="d",ts={ts},e=t,dfa={n}' for ts, n in [(0, 4), (10, 4), (20, 9), (30, 2)])
    events = events_of(parse_v2_body(lines.encode())[0])
    assert [e["dropped_frames"] for e in events] == [4, 0, 5, 2]  # 9 → 2: the counter was reset


def test_sessions_are_apart() -> None:
    tracker = CmcdSessionTracker()
    play("0:p", tracker=tracker, sid="a")
    [b] = play("5000:e=t", tracker=tracker, sid="b")
    [a] = play("5000:e=t", tracker=tracker, sid="a")
    assert (b["type"], b["played_ms"]) == ("view_start", 0)
    assert (a["type"], a["played_ms"]) == ("heartbeat", 5000)


# --- event ids, retries, bounds ----------------------------------------------------------------


def test_resent_line_has_the_same_event_id_and_deltas() -> None:
    body = b'sid="r",ts=0,sta=p\nsid="r",ts=10000,e=t'
    tracker = CmcdSessionTracker()
    first = tracker.to_events(parse_v2_body(body)[0], user_agent="", ip="", now_ms=NOW)
    retry = tracker.to_events(parse_v2_body(body)[0], user_agent="", ip="", now_ms=NOW + 5000)
    assert first == retry  # same ids (dedup drops them) and, were the first lost, the same deltas
    assert first[1]["played_ms"] == 10000
    assert len({e["event_id"] for e in first}) == 2
    assert "user_agent" not in first[0] and "ip" not in first[0]


def test_event_id_depends_on_content_and_scope() -> None:
    [a], _ = parse_v2_body(b'sid="x",ts=1')
    [b], _ = parse_v2_body(b'sid="x",ts=2')
    tracker = CmcdSessionTracker()
    ids = {
        tracker.to_events([record], user_agent="", ip="", now_ms=NOW, scope=scope)[0]["event_id"]
        for record in (a, b)
        for scope in ("", "account-1", "account-2")
    }
    assert len(ids) == 6
    assert all(isinstance(i, str) and i.startswith("cmcd-") for i in ids)


def test_scopes_keep_sessions_of_accounts_apart() -> None:
    tracker = CmcdSessionTracker()
    [record], _ = parse_v2_body(b'sid="same",ts=0,sta=p')
    [later], _ = parse_v2_body(b'sid="same",ts=4000,e=t')
    tracker.to_events([record], user_agent="", ip="", now_ms=NOW, scope="acc1")
    [other] = tracker.to_events([later], user_agent="", ip="", now_ms=NOW, scope="acc2")
    [mine] = tracker.to_events([later], user_agent="", ip="", now_ms=NOW, scope="acc1")
    assert (other["type"], other["played_ms"]) == ("view_start", 0)
    assert (mine["type"], mine["played_ms"]) == ("heartbeat", 4000)


def test_tracker_is_bounded() -> None:
    tracker = CmcdSessionTracker(max_sessions=3)
    for n in range(5):
        play("0:p", tracker=tracker, sid=f"s{n}")
    assert tracker.session_count == 3
    [again] = play("1000:e=t", tracker=tracker, sid="s0")  # dropped: starts afresh
    assert again["type"] == "view_start" and again["played_ms"] == 0


def test_idle_sessions_expire() -> None:
    tracker = CmcdSessionTracker(idle_ms=1000)
    [record], _ = parse_v2_body(b'sid="idle",ts=0,sta=p')
    tracker.to_events([record], user_agent="", ip="", now_ms=NOW)
    [other], _ = parse_v2_body(b'sid="other",ts=0')
    tracker.to_events([other], user_agent="", ip="", now_ms=NOW + 1001)
    assert tracker.session_count == 1


def test_user_agent_and_ip_come_from_the_request() -> None:
    [event] = events_of(parse_v2_body(f"sid={SID},ts=5".encode())[0])
    assert (event["user_agent"], event["ip"]) == ("UA/1.0", "203.0.113.7")
