-- test: test_sql_snapshot[bitrate_filter]
-- a numeric dimension filtered as text
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('views', 'viewing_time_ms'), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(Filter(dimension='bitrate_kbps', values=('1500',), negate=False),), bucket=Bucket(unit='minute', count=5), timezone='UTC', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT intDiv(ts_ms - {grid_origin:Int64}, {grid_step:Int64}) AS b, channel_id, sum(played_ms) AS m_viewing_time_ms
  FROM {db}.events
  WHERE account_id = {acc0:String} AND ts >= toDateTime({t1:UInt32}) AND ts <= toDateTime({t2:UInt32}) AND ts_ms >= {ms3:Int64} AND ts_ms < {ms4:Int64} AND toString(bitrate_kbps) IN {flt5:Array(String)}
  GROUP BY b, channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "flt5": ["1500"], "grid_origin": 1772870400000, "grid_step": 300000, "ms3": 1772870400000, "ms4": 1773043200000, "t1": 1772870400, "t2": 1773043200}

-- statement 2
SELECT intDiv(first_ms - {grid_origin:Int64}, {grid_step:Int64}) AS b, channel_id, count() AS m_views
  FROM (SELECT session_id, min(ts_ms) AS first_ms, max(ts_ms) AS last_ms, argMinIf(channel_id, ts_ms, channel_id != '') AS channel_id, argMaxIf(bitrate_kbps, ts_ms, bitrate_kbps != 0) AS bitrate_kbps
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND session_id IN (SELECT session_id
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND ts >= toStartOfHour(toDateTime({h4:UInt32})) AND ts < toStartOfHour(toDateTime({h5:UInt32})) + 3600)
  GROUP BY session_id
  HAVING first_ms >= {ms1:Int64} AND first_ms < {ms2:Int64} AND toString(bitrate_kbps) IN {flt3:Array(String)})
  GROUP BY b, channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "flt3": ["1500"], "grid_origin": 1772870400000, "grid_step": 300000, "h4": 1772870400, "h5": 1773043200, "ms1": 1772870400000, "ms2": 1773043200000}
