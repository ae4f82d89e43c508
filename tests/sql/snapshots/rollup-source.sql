-- test: test_sql_snapshot[rollup-source]
-- rollups on: views and time played of the views whose latest delivery is p2p (sessions table)
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('views', 'viewing_time_ms'), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(), bucket=None, timezone='UTC', sub_bucket=None, source='p2p', rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT channel_id, sum(played_ms) AS m_viewing_time_ms
  FROM {db}.events
  WHERE account_id = {acc0:String} AND ts >= toDateTime({t1:UInt32}) AND ts <= toDateTime({t2:UInt32}) AND ts_ms >= {ms3:Int64} AND ts_ms < {ms4:Int64} AND session_id IN (SELECT session_id
  FROM {db}.session_facts_by_start
  WHERE account_id = {acc0:String} AND last_ms >= {ms5:Int64} AND delivery = {src6:String}
  GROUP BY session_id
  HAVING sum(sign) > 0)
  GROUP BY channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "ms3": 1772870400000, "ms4": 1773043200000, "ms5": 1772784000000, "src6": "p2p", "t1": 1772870400, "t2": 1773043200}

-- statement 2
SELECT channel_id, sum(f_n) AS m_views
  FROM (SELECT channel_id, sum(sign) AS f_n, sum(sign * toInt64(played_ms)) AS f_played
  FROM {db}.session_facts_by_start
  WHERE account_id = {acc0:String} AND first_ms >= {ms1:Int64} AND first_ms < {ms2:Int64} AND delivery = {src3:String}
  GROUP BY channel_id
  HAVING f_n > 0)
  GROUP BY channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "ms1": 1772870400000, "ms2": 1773043200000, "src3": "p2p"}
