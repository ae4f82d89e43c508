-- test: test_sql_snapshot[rate-fixed_5m-filters]
-- rate metrics, fixed_5m buckets, filters scope/filters
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('bandwidth_bps',), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(Filter(dimension='channel_id', values=('chan_uservalue_news', 'chan_uservalue_sport'), negate=False), Filter(dimension='os', values=('os_uservalue_beos',), negate=True)), bucket=Bucket(unit='minute', count=5), timezone='UTC', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT intDiv(ts_ms - {grid_origin:Int64}, {grid_step:Int64}) AS b, channel_id, sum(bytes_cdn + bytes_p2p) AS m_bytes_total
  FROM {db}.events
  WHERE account_id = {acc0:String} AND ts >= toDateTime({t1:UInt32}) AND ts <= toDateTime({t2:UInt32}) AND ts_ms >= {ms3:Int64} AND ts_ms < {ms4:Int64} AND channel_id IN {flt5:Array(String)} AND os NOT IN {flt6:Array(String)}
  GROUP BY b, channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "flt5": ["chan_uservalue_news", "chan_uservalue_sport"], "flt6": ["os_uservalue_beos"], "grid_origin": 1772870400000, "grid_step": 300000, "ms3": 1772870400000, "ms4": 1773043200000, "t1": 1772870400, "t2": 1773043200}
