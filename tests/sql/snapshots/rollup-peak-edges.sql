-- test: test_sql_snapshot[rollup-peak-edges]
-- rollups on: a range ending mid-minute (a now-relative window): whole hours from the hourly rollup, the partial last minute from raw events, in one sum; the peak's 5-minute sub-buckets from the 5-minute rollup
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('bytes_cdn', 'bandwidth_bps.max'), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 7, 13, 0, 17, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(), bucket=Bucket(unit='hour', count=1), timezone='UTC', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT channel_id, groupArray(b) AS bs, groupArray(m_bytes_total) AS vs_bytes_total
  FROM (SELECT b, channel_id, sum(bytes_cdn + bytes_p2p) AS m_bytes_total
  FROM (SELECT intDiv((toInt64(toUInt32(period)) * 1000) - {grid_origin:Int64}, {grid_step:Int64}) AS b, channel_id, bytes_cdn, bytes_p2p
  FROM {db}.rollup_streams_5m
  WHERE account_id = {acc0:String} AND period >= toDateTime({t1:UInt32}) AND period < toDateTime({t2:UInt32}) UNION ALL SELECT intDiv(ts_ms - {grid_origin:Int64}, {grid_step:Int64}) AS b, channel_id, sum(bytes_cdn) AS bytes_cdn, sum(bytes_p2p) AS bytes_p2p
  FROM {db}.events
  WHERE account_id = {acc3:String} AND ts >= toDateTime({t4:UInt32}) AND ts <= toDateTime({t5:UInt32}) AND ts_ms >= {ms6:Int64} AND ts_ms < {ms7:Int64}
  GROUP BY b, channel_id)
  GROUP BY b, channel_id)
  GROUP BY channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "acc3": "acct_uservalue_7f3a", "grid_origin": 1772870400000, "grid_step": 300000, "ms6": 1772888400000, "ms7": 1772888417000, "t1": 1772870400, "t2": 1772888400, "t4": 1772888400, "t5": 1772888417}

-- statement 2
SELECT b, channel_id, sum(bytes_cdn) AS m_bytes_cdn
  FROM (SELECT intDiv((toInt64(toUInt32(period)) * 1000) - {grid_origin:Int64}, {grid_step:Int64}) AS b, channel_id, bytes_cdn
  FROM {db}.rollup_streams_1h
  WHERE account_id = {acc0:String} AND period >= toDateTime({t1:UInt32}) AND period < toDateTime({t2:UInt32}) UNION ALL SELECT intDiv(ts_ms - {grid_origin:Int64}, {grid_step:Int64}) AS b, channel_id, sum(bytes_cdn) AS bytes_cdn
  FROM {db}.events
  WHERE account_id = {acc3:String} AND ts >= toDateTime({t4:UInt32}) AND ts <= toDateTime({t5:UInt32}) AND ts_ms >= {ms6:Int64} AND ts_ms < {ms7:Int64}
  GROUP BY b, channel_id)
  GROUP BY b, channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "acc3": "acct_uservalue_7f3a", "grid_origin": 1772870400000, "grid_step": 3600000, "ms6": 1772888400000, "ms7": 1772888417000, "t1": 1772870400, "t2": 1772888400, "t4": 1772888400, "t5": 1772888417}
