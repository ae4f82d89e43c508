-- test: test_sql_snapshot[peak-day_pacific-filters]
-- peak metrics, day_pacific buckets, filters scope/filters
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('active_views.max', 'bandwidth_bps.p95'), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(Filter(dimension='channel_id', values=('chan_uservalue_news', 'chan_uservalue_sport'), negate=False), Filter(dimension='os', values=('os_uservalue_beos',), negate=True)), bucket=Bucket(unit='day', count=1), timezone='US/Pacific', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT channel_id, groupArray(b) AS bs, groupArray(m_active_views) AS vs_active_views
  FROM (SELECT arrayJoin(arrayMap(i -> toInt64(i) + greatest(intDiv(first_ms - {grid_origin:Int64}, {grid_step:Int64}), 0), range(toUInt64(least(intDiv(last_ms - {grid_origin:Int64}, {grid_step:Int64}), {n7:Int64}) - greatest(intDiv(first_ms - {grid_origin:Int64}, {grid_step:Int64}), 0) + 1)))) AS b, channel_id, count() AS m_active_views
  FROM (SELECT session_id, min(ts_ms) AS first_ms, max(ts_ms) AS last_ms, argMinIf(channel_id, ts_ms, channel_id != '') AS channel_id, argMinIf(toString(os), ts_ms, os != '') AS os
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND session_id IN (SELECT session_id
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND ts >= toStartOfHour(toDateTime({h5:UInt32})) AND ts < toStartOfHour(toDateTime({h6:UInt32})) + 3600)
  GROUP BY session_id
  HAVING first_ms < {ms1:Int64} AND last_ms >= {ms2:Int64} AND channel_id IN {flt3:Array(String)} AND os NOT IN {flt4:Array(String)})
  GROUP BY b, channel_id)
  GROUP BY channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "flt3": ["chan_uservalue_news", "chan_uservalue_sport"], "flt4": ["os_uservalue_beos"], "grid_origin": 1772870400000, "grid_step": 60000, "h5": 1772784000, "h6": 1773043200, "ms1": 1773043200000, "ms2": 1772870400000, "n7": 2879}

-- statement 2
SELECT channel_id, groupArray(b) AS bs, groupArray(m_bytes_total) AS vs_bytes_total
  FROM (SELECT intDiv(ts_ms - {grid_origin:Int64}, {grid_step:Int64}) AS b, channel_id, sum(bytes_cdn + bytes_p2p) AS m_bytes_total
  FROM {db}.events
  WHERE account_id = {acc0:String} AND ts >= toDateTime({t1:UInt32}) AND ts <= toDateTime({t2:UInt32}) AND ts_ms >= {ms3:Int64} AND ts_ms < {ms4:Int64} AND channel_id IN {flt5:Array(String)} AND os NOT IN {flt6:Array(String)}
  GROUP BY b, channel_id)
  GROUP BY channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "flt5": ["chan_uservalue_news", "chan_uservalue_sport"], "flt6": ["os_uservalue_beos"], "grid_origin": 1772870400000, "grid_step": 300000, "ms3": 1772870400000, "ms4": 1773043200000, "t1": 1772870400, "t2": 1773043200}
