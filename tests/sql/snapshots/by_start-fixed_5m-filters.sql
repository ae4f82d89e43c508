-- test: test_sql_snapshot[by_start-fixed_5m-filters]
-- by_start metrics, fixed_5m buckets, filters scope/filters
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('views', 'unique_viewers'), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(Filter(dimension='channel_id', values=('chan_uservalue_news', 'chan_uservalue_sport'), negate=False), Filter(dimension='os', values=('os_uservalue_beos',), negate=True)), bucket=Bucket(unit='minute', count=5), timezone='UTC', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT intDiv(first_ms - {grid_origin:Int64}, {grid_step:Int64}) AS b, channel_id, count() AS m_views, uniqExact(viewer) AS m_unique_viewers
  FROM (SELECT session_id, min(ts_ms) AS first_ms, max(ts_ms) AS last_ms, argMinIf(viewer, ts_ms, viewer != '') AS viewer, argMinIf(channel_id, ts_ms, channel_id != '') AS channel_id, argMinIf(toString(os), ts_ms, os != '') AS os
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND session_id IN (SELECT session_id
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND ts >= toStartOfHour(toDateTime({h5:UInt32})) AND ts < toStartOfHour(toDateTime({h6:UInt32})) + 3600)
  GROUP BY session_id
  HAVING first_ms >= {ms1:Int64} AND first_ms < {ms2:Int64} AND channel_id IN {flt3:Array(String)} AND os NOT IN {flt4:Array(String)})
  GROUP BY b, channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "flt3": ["chan_uservalue_news", "chan_uservalue_sport"], "flt4": ["os_uservalue_beos"], "grid_origin": 1772870400000, "grid_step": 300000, "h5": 1772870400, "h6": 1773043200, "ms1": 1772870400000, "ms2": 1773043200000}
