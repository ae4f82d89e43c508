-- test: test_sql_snapshot[rollup-active-fixed_5m-slice]
-- rollups on: concurrency per 5 minutes from the sessions table, slice scope
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=('srv_uservalue_1',), channels=()), SliceScope(servers=(), channels=('chan_uservalue_slice',)))), metrics=('active_views',), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(), bucket=Bucket(unit='minute', count=5), timezone='UTC', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT b, channel_id, sum(change) AS m_active_views
  FROM (SELECT if(edge = 0, greatest(intDiv(first_ms - {grid_origin:Int64}, {grid_step:Int64}), 0), least(intDiv(last_ms - {grid_origin:Int64}, {grid_step:Int64}), {n0:Int64}) + 1) AS b, channel_id, if(edge = 0, sign, -sign) AS change
  FROM {db}.session_facts_by_start ARRAY JOIN [0, 1] AS edge
  WHERE account_id = {acc1:String} AND first_ms < {ms3:Int64} AND last_ms >= {ms2:Int64} AND ((server_id IN {srv4:Array(String)}) OR (channel_id IN {chn5:Array(String)})))
  GROUP BY b, channel_id;
-- params:
{"acc1": "acct_uservalue_7f3a", "chn5": ["chan_uservalue_slice"], "grid_origin": 1772870400000, "grid_step": 300000, "ms2": 1772870400000, "ms3": 1773043200000, "n0": 575, "srv4": ["srv_uservalue_1"]}
