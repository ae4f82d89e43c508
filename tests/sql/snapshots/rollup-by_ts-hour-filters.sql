-- test: test_sql_snapshot[rollup-by_ts-hour-filters]
-- rollups on: sums and a sample mean by channel, hourly buckets, filters (os is only on the hourly device rollup, so that one is read)
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('viewing_time_ms', 'avg_buffer_ms', 'bytes_total'), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(Filter(dimension='channel_id', values=('chan_uservalue_news', 'chan_uservalue_sport'), negate=False), Filter(dimension='os', values=('os_uservalue_beos',), negate=True)), bucket=Bucket(unit='hour', count=1), timezone='UTC', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT intDiv((toInt64(toUInt32(period)) * 1000) - {grid_origin:Int64}, {grid_step:Int64}) AS b, channel_id, sum(played_ms) AS m_viewing_time_ms, sum(buffer_ms_sum) / sum(buffer_ms_n) AS m_avg_buffer_ms, sum(bytes_cdn + bytes_p2p) AS m_bytes_total
  FROM {db}.rollup_devices_1h
  WHERE account_id = {acc0:String} AND period >= toDateTime({t1:UInt32}) AND period < toDateTime({t2:UInt32}) AND channel_id IN {flt3:Array(String)} AND os NOT IN {flt4:Array(String)}
  GROUP BY b, channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "flt3": ["chan_uservalue_news", "chan_uservalue_sport"], "flt4": ["os_uservalue_beos"], "grid_origin": 1772870400000, "grid_step": 3600000, "t1": 1772870400, "t2": 1773043200}
