-- test: test_sql_snapshot[active-total-plain]
-- active metrics, total buckets, plain scope/filters
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('active_views',), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(), bucket=None, timezone='UTC', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT channel_id, count() AS m_active_views
  FROM (SELECT session_id, min(ts_ms) AS first_ms, max(ts_ms) AS last_ms, argMinIf(channel_id, ts_ms, channel_id != '') AS channel_id
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND session_id IN (SELECT session_id
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND ts >= toStartOfHour(toDateTime({h3:UInt32})) AND ts < toStartOfHour(toDateTime({h4:UInt32})) + 3600)
  GROUP BY session_id
  HAVING first_ms < {ms1:Int64} AND last_ms >= {ms2:Int64})
  GROUP BY channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "h3": 1772784000, "h4": 1773043200, "ms1": 1773043200000, "ms2": 1772870400000}
