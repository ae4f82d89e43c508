-- test: test_sql_snapshot[rollup-peaks-one-series]
-- rollups on: Streamroot's bandwidth summary, four peaks of three bases over 5-minute sub-buckets read as one series statement (three arrays) from the 5-minute rollup
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('bandwidth_p2p_bps.avg', 'bandwidth_cdn_bps.max', 'bandwidth_p2p_bps.max', 'bandwidth_bps.max', 'bandwidth_p2p_bps.p95'), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(), bucket=None, timezone='UTC', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT channel_id, groupArray(b) AS bs, groupArray(m_bytes_p2p) AS vs_bytes_p2p, groupArray(m_bytes_cdn) AS vs_bytes_cdn, groupArray(m_bytes_total) AS vs_bytes_total
  FROM (SELECT intDiv((toInt64(toUInt32(period)) * 1000) - {grid_origin:Int64}, {grid_step:Int64}) AS b, channel_id, sum(bytes_p2p) AS m_bytes_p2p, sum(bytes_cdn) AS m_bytes_cdn, sum(bytes_cdn + bytes_p2p) AS m_bytes_total
  FROM {db}.rollup_streams_5m
  WHERE account_id = {acc0:String} AND period >= toDateTime({t1:UInt32}) AND period < toDateTime({t2:UInt32})
  GROUP BY b, channel_id)
  GROUP BY channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "grid_origin": 1772870400000, "grid_step": 300000, "t1": 1772870400, "t2": 1773043200}
