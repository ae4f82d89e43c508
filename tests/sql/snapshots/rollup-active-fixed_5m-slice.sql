-- test: test_sql_snapshot[rollup-active-fixed_5m-slice]
-- rollups on: concurrency per 5 minutes from the sessions table, slice scope
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=('srv_uservalue_1',), channels=()), SliceScope(servers=(), channels=('chan_uservalue_slice',)))), metrics=('active_views',), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(), bucket=Bucket(unit='minute', count=5), timezone='UTC', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT arrayJoin(arrayMap(i -> toInt64(i) + greatest(intDiv(first_ms - {grid_origin:Int64}, {grid_step:Int64}), 0), range(toUInt64(least(intDiv(last_ms - {grid_origin:Int64}, {grid_step:Int64}), {n7:Int64}) - greatest(intDiv(first_ms - {grid_origin:Int64}, {grid_step:Int64}), 0) + 1)))) AS b, channel_id, count() AS m_active_views
  FROM (SELECT session_id, minMerge(first_ms) AS first_ms, maxMerge(last_ms) AS last_ms, argMinIfMerge(channel_id) AS channel_id, argMinIfMerge(server_id) AS server_id
  FROM {db}.sessions
  WHERE account_id = {acc0:String} AND session_id IN (SELECT session_id
  FROM {db}.sessions
  WHERE account_id = {acc0:String} AND hour >= toStartOfHour(toDateTime({h5:UInt32})) AND hour <= toDateTime({h6:UInt32}))
  GROUP BY session_id
  HAVING first_ms < {ms1:Int64} AND last_ms >= {ms2:Int64} AND ((server_id IN {srv3:Array(String)}) OR (channel_id IN {chn4:Array(String)})))
  GROUP BY b, channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "chn4": ["chan_uservalue_slice"], "grid_origin": 1772870400000, "grid_step": 300000, "h5": 1772784000, "h6": 1773043200, "ms1": 1773043200000, "ms2": 1772870400000, "n7": 575, "srv3": ["srv_uservalue_1"]}
