-- test: test_sql_snapshot[week_month_sub_bucket]
-- weeks in a zone, peaks over explicit hourly sub-buckets
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('active_views.avg', 'views'), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(), bucket=Bucket(unit='week', count=1), timezone='US/Pacific', sub_bucket=Bucket(unit='hour', count=1), source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT channel_id, groupArray(b) AS bs, groupArray(m_active_views) AS vs_active_views
  FROM (SELECT arrayJoin(arrayMap(i -> toInt64(i) + greatest(intDiv(first_ms - {grid_origin:Int64}, {grid_step:Int64}), 0), range(toUInt64(least(intDiv(last_ms - {grid_origin:Int64}, {grid_step:Int64}), {n5:Int64}) - greatest(intDiv(first_ms - {grid_origin:Int64}, {grid_step:Int64}), 0) + 1)))) AS b, channel_id, count() AS m_active_views
  FROM (SELECT session_id, min(ts_ms) AS first_ms, max(ts_ms) AS last_ms, argMinIf(channel_id, ts_ms, channel_id != '') AS channel_id
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND session_id IN (SELECT session_id
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND ts >= toStartOfHour(toDateTime({h3:UInt32})) AND ts < toStartOfHour(toDateTime({h4:UInt32})) + 3600)
  GROUP BY session_id
  HAVING first_ms < {ms1:Int64} AND last_ms >= {ms2:Int64})
  GROUP BY b, channel_id)
  GROUP BY channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "grid_origin": 1772870400000, "grid_step": 3600000, "h3": 1772784000, "h4": 1773043200, "ms1": 1773043200000, "ms2": 1772870400000, "n5": 47}

-- statement 2
SELECT intDiv(toInt64(toRelativeWeekNum(toDateTime(intDiv(first_ms, 1000)), {grid_tz:String})) - toInt64(toRelativeWeekNum(toDateTime({grid_origin_s:UInt32}), {grid_tz:String})), {grid_count:Int64}) AS b, channel_id, count() AS m_views
  FROM (SELECT session_id, min(ts_ms) AS first_ms, max(ts_ms) AS last_ms, argMinIf(channel_id, ts_ms, channel_id != '') AS channel_id
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND session_id IN (SELECT session_id
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND ts >= toStartOfHour(toDateTime({h3:UInt32})) AND ts < toStartOfHour(toDateTime({h4:UInt32})) + 3600)
  GROUP BY session_id
  HAVING first_ms >= {ms1:Int64} AND first_ms < {ms2:Int64})
  GROUP BY b, channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "grid_count": 1, "grid_origin_s": 1772438400, "grid_tz": "US/Pacific", "h3": 1772870400, "h4": 1773043200, "ms1": 1772870400000, "ms2": 1773043200000}
