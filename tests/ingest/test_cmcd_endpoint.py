"""The CMCD door over real HTTP: v2 event-mode bodies, v1 query/headers, bad lines, keys."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import Account, Server

UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"


def _ms(hh: int, mm: int, ss: int = 0) -> int:
    return int(datetime(2026, 10, 5, hh, mm, ss, tzinfo=UTC).timestamp() * 1000)


def test_v2_event_mode_becomes_a_view_with_played_time(server: Server, account: Account) -> None:
    body = "\n".join([
        f'sid="cm1",cid="movie-7",sta=s,ts={_ms(9, 0)},st=v,br=3000,bl=12000,v=2',
        f'sid="cm1",sta=p,ts={_ms(9, 0, 2)},v=2',
        "this is ( not a dictionary",
        f'sid="cm1",sta=r,ts={_ms(9, 1, 2)},v=2',
        f'sid="cm1",sta=p,ts={_ms(9, 1, 5)},v=2',
        f'sid="cm1",sta=e,ts={_ms(9, 2, 5)},v=2',
    ])
    with server.client() as c:
        r = c.post(f"/v1/cmcd/{account.ingest_key}", content=body,
                   headers={"Content-Type": "application/cmcd", "User-Agent": UA})
        assert r.status_code == 204
        assert r.headers["X-CMCD-Malformed"] == "1"
        q = c.post("/v1/query", headers={"Authorization": f"Bearer {account.api_key}"}, json={
            "metrics": ["views", "viewing_time_ms", "buffered_ms"], "dimensions": ["content_id", "content_type"],
            "date_range": ["2026-10-05", "2026-10-05"]})
    # playing 09:00:02–09:01:02 and 09:01:05–09:02:05, rebuffering 09:01:02–09:01:05
    assert q.json()["results"] == [
        {"content_id": "movie-7", "content_type": "vod", "views": 1, "viewing_time_ms": 120_000, "buffered_ms": 3_000}]


def test_v1_query_and_headers(server: Server, account: Account) -> None:
    with server.client() as c:
        r = c.get(f"/v1/cmcd/{account.ingest_key}", params={"CMCD": 'br=1500,bl=9000,cid="live-1",sid="v1s",st=l'})
        assert r.status_code == 204 and r.headers["X-CMCD-Accepted"] == "1"
        r = c.post(f"/v1/cmcd/{account.ingest_key}",
                   headers={"CMCD-Object": "br=800", "CMCD-Session": 'sid="v1h",cid="live-1"'})
        assert r.status_code == 204 and r.headers["X-CMCD-Accepted"] == "1"
        r = c.get(f"/v1/cmcd/{account.ingest_key}", params={"CMCD": "br=((("})
        assert r.status_code == 204 and r.headers["X-CMCD-Malformed"] == "1"


def test_keys(server: Server, account: Account) -> None:
    with server.client() as c:
        assert c.post("/v1/cmcd/not-a-key", content=b"").status_code == 401
        with server.admin() as admin:
            assert admin.post(f"/admin/v1/accounts/{account.id}/ingest_key/rotate").status_code == 200
        r = c.post(f"/v1/cmcd/{account.ingest_key}", content=b'sid="x"', headers={"Content-Type": "application/cmcd"})
        assert r.status_code == 410
