from datetime import UTC, datetime, timedelta

def test_smoke(account, clock):
    now = datetime(2026, 11, 23, 12, 0, 2, tzinfo=UTC)
    clock.set(now)
    t = int((now - timedelta(seconds=20)).timestamp() * 1000)
    account.send([
        {"ts": t, "type": "view_start", "session_id": "a", "channel_id": "ch1", "stream_id": "s1", "delivery": "cdn", "bitrate_kbps": 4000, "os": "MAC", "connection_type": "WIFI"},
        {"ts": t + 5000, "type": "heartbeat", "session_id": "a", "played_ms": 5000, "bytes_cdn": 750000, "buffer_ms": 1000},
        {"ts": t, "type": "view_start", "session_id": "b", "channel_id": "ch1", "stream_id": "s1", "delivery": "p2p", "os": "Windows"},
        {"ts": t + 5000, "type": "heartbeat", "session_id": "b", "played_ms": 4000, "bytes_p2p": 750000, "rebuffer_ms": 1000},
    ])
    with account.server.client(headers={"Authorization": account.api_key}) as c:
        for path in ["/system73/summary?time=live", "/system73/summary?time=live&per_page=1&page=0", "/system73/summary/agg?time=live",
                     "/system73/channels/ch1/summary?time=live", "/system73/channels/ch1/streams/s1/summary?time=live",
                     "/system73/stats/throughput/agg?time=live&source=cdn", "/system73/stats/os?time=live", "/system73/stats/os/last_point?time=live",
                     "/system73/stats/rebuffering/ratio/last_point?time=10m", "/system73/stats/bogus", "/system73/summary", "/system73/ping", "/system73/ping/db"]:
            r = c.get(path)
            print(path, r.status_code, r.text[:1500])
