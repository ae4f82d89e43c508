"""``session_facts`` (and its copy by view start) stays what the events say through ingest
(storage/facts.py): after every insert, each session has exactly one standing row, equal to its
merge computed from its events by plain SQL — also when a late event moves its first event into
another month, gains an attribute or changes its latest delivery, when a batch is resent, when a
fold failed once, and when the sessions read back lag behind the insert."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.helpers import run_script

SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    from datetime import datetime, UTC
    from pathlib import Path
    from mediastats.ingest.enrich import Enricher
    from mediastats.ingest.pipeline import Ingestor
    from mediastats.query import Query, Scope, TimeRange, run_sync
    from mediastats.storage.chdb_backend import ChdbStorage
    from mediastats.storage.schema import FACT_VALUES, SESSION_FROM_EVENTS

    storage = ChdbStorage(Path(sys.argv[1]))
    storage.migrate()
    ingestor = Ingestor(storage, Enricher())
    T0 = 1790000000000  # 2026-09-21
    MONTH_BEFORE = T0 - 40 * 86400_000
    values = ", ".join(FACT_VALUES)
    merged = ", ".join(f"{SESSION_FROM_EVENTS[n]} AS {n}" for n in FACT_VALUES)

    def standing(table):
        return storage.query(
            f"SELECT account_id, session_id, {values}, sum(sign) AS n FROM {{db}}.{table}"
            f" GROUP BY account_id, session_id, {values} HAVING n != 0 ORDER BY account_id, session_id").dicts()

    def state():
        facts = standing("session_facts")
        # The copy by view start that queries read: the same standing rows, its pairs collapsing too.
        assert standing("session_facts_by_start") == facts
        events = storage.query(
            f"SELECT toString(account_id) AS account_id, session_id, {merged}, 1 AS n FROM {{db}}.events"
            " WHERE session_id != '' GROUP BY account_id, session_id ORDER BY account_id, session_id").dicts()
        return facts, events

    def ev(sid, ms, kind="heartbeat", **kw):
        return {"ts": ms, "type": kind, "session_id": sid, "event_id": f"{sid}-{ms}-{kind}", **kw}

    batches = [
        ("acc-a", [ev("s1", T0, "view_start", channel_id="news", viewer_id="v1", delivery="p2p"),
                   ev("s2", T0 + 5_000, "view_start", channel_id="sport", viewer_id="v1")]),
        ("acc-a", [ev("s1", T0 + 60_000, played_ms=60_000), ev("s2", T0 + 3_600_000, played_ms=1000,
                                                                delivery="p2p")]),
        ("acc-b", [ev("s1", T0 + 1_000, "view_start", channel_id="other", viewer_id="vb")]),  # same id, other tenant
        # late: an earlier event of s1 a month before (a partition of its own), with a new attribute
        ("acc-a", [ev("s1", MONTH_BEFORE, "view_start", channel_id="kids", country="FR")]),
        # the latest delivery of s1 changes; s2 gets an hour-later event
        ("acc-a", [ev("s1", T0 + 120_000, played_ms=60_000, delivery="cdn"),
                   ev("s2", T0 + 7_200_000, played_ms=500)]),
        # a resent batch: duplicates, nothing changes
        ("acc-a", [ev("s1", T0 + 120_000, played_ms=60_000, delivery="cdn")]),
    ]
    report = {"steps": []}

    async def load():
        for account, batch in batches:
            r = await ingestor.ingest_dicts(account, batch)
            assert not r.rejected, r.rejected
            facts, events = state()
            report["steps"].append({"facts": facts, "events": events})
        # A fold that fails is tried again with the next insert; the events are kept meanwhile.
        real = storage.insert_json_rows
        def refuse_facts(table, rows):
            if table == "session_facts":
                raise RuntimeError("store refused")
            return real(table, rows)
        storage.insert_json_rows = refuse_facts
        await ingestor.ingest_dicts("acc-a", [ev("s3", T0 + 9_000, "view_start", channel_id="news")])
        report["while_failing"] = state()
        storage.insert_json_rows = real
        await ingestor.ingest_dicts("acc-a", [ev("s4", T0 + 10_000, "view_start", channel_id="news")])
        report["after_retry"] = state()
        # A read of the sessions that misses what was just inserted (a replica behind the insert):
        # the fold writes nothing rather than a view without its events, and folds again next time.
        from mediastats.storage.base import Columns
        read = storage.query
        def behind(sql, params=None):
            got = read(sql, params)
            if "FROM {db}.sessions " in sql:
                at = got.names.index("session_id")
                return Columns(got.names, [r for r in got.rows if r[at] != "s5"])
            return got
        storage.query = behind
        await ingestor.ingest_dicts("acc-a", [ev("s5", T0 + 11_000, "view_start", channel_id="news"),
                                              ev("s1", T0 + 180_000, played_ms=60_000)])
        report["while_behind"] = state()
        storage.query = read
        await ingestor.ingest_dicts("acc-a", [ev("s6", T0 + 12_000, "view_start", channel_id="news")])
        report["caught_up"] = state()

    asyncio.run(load())
    # Merged, the copy keeps one row a view: a -1 row meets the row it cancels (same first_ms).
    storage.query("OPTIMIZE TABLE {db}.session_facts_by_start FINAL")
    report["copy_rows"] = storage.query("SELECT count(), countIf(sign = 1) FROM {db}.session_facts_by_start").rows[0]
    T = TimeRange(datetime.fromtimestamp(MONTH_BEFORE // 1000 - 60, UTC),
                  datetime.fromtimestamp(T0 // 1000 + 9000, UTC))
    answers = {}
    for dims in (("delivery",), ("channel_id",), ()):
        q = Query(Scope("acc-a"), ("views", "unique_viewers", "started_played_ms", "active_views"), T, dimensions=dims)
        answers[str(dims)] = [run_sync(storage, q).rows]
        storage.rollups = False
        answers[str(dims)].append(run_sync(storage, q).rows)
        storage.rollups = True
    report["answers"] = answers
    print(json.dumps(report, default=str))
    storage.close()
    """
)


def test_facts_follow_the_events_through_late_changed_and_resent_batches(tmp_path: Path) -> None:
    report = run_script(SCRIPT, str(tmp_path / "data"))
    for step in report["steps"]:
        assert step["facts"] == step["events"]  # one standing row a session, equal to its merge
    last = {(r["account_id"], r["session_id"]): r for r in report["steps"][-1]["facts"]}
    s1 = last[("acc-a", "s1")]
    assert (s1["country"], s1["delivery"]) == ("France", "cdn")  # filled in by the late event; latest wins
    assert s1["played_ms"] == 120_000 and s1["last_ms"] - s1["first_ms"] == 40 * 86400_000 + 120_000
    assert last[("acc-b", "s1")]["channel_id"] == "other"
    facts, events = report["while_failing"]
    assert len(events) == len(facts) + 1  # s3 stored, its fold pending
    facts, events = report["after_retry"]
    assert facts == events
    facts, events = report["while_behind"]
    assert [r["session_id"] for r in events if r not in facts] == ["s1", "s5"]  # both left as they stood
    facts, events = report["caught_up"]
    assert facts == events
    assert report["copy_rows"] == [len(facts), len(facts)]
    for dims, (with_facts, raw) in report["answers"].items():
        assert with_facts == raw, dims
    by_delivery = {r["delivery"]: r["views"] for r in report["answers"]["('delivery',)"][0]}
    # s1 moved from p2p to cdn (no row left at 0); s3–s6 name no delivery and count as cdn
    assert by_delivery == {"cdn": 5, "p2p": 1}
