-- test: test_sql_snapshot[rate-fixed_5m-source]
-- rate metrics, fixed_5m buckets, source scope/filters
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('bandwidth_bps',), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(), bucket=Bucket(unit='minute', count=5), timezone='UTC', sub_bucket=None, source='p2p', rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT intDiv(ts_ms - {grid_origin:Int64}, {grid_step:Int64}) AS b, channel_id, sum(bytes_cdn + bytes_p2p) AS m_bytes_total
  FROM {db}.events
  WHERE account_id = {acc0:String} AND ts >= toDateTime({t1:UInt32}) AND ts <= toDateTime({t2:UInt32}) AND ts_ms >= {ms3:Int64} AND ts_ms < {ms4:Int64} AND session_id IN (SELECT session_id
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND ts >= toStartOfHour(toDateTime({h5:UInt32}))
  GROUP BY session_id
  HAVING argMaxIf(toString(delivery), ts_ms, delivery != '') = {src6:String})
  GROUP BY b, channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "grid_origin": 1772870400000, "grid_step": 300000, "h5": 1772784000, "ms3": 1772870400000, "ms4": 1773043200000, "src6": "p2p", "t1": 1772870400, "t2": 1773043200}
