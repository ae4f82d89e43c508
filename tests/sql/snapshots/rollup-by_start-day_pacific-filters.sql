-- test: test_sql_snapshot[rollup-by_start-day_pacific-filters]
-- rollups on: views and uniques by Pacific day from the sessions table, filters
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('views', 'unique_viewers'), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(Filter(dimension='channel_id', values=('chan_uservalue_news', 'chan_uservalue_sport'), negate=False), Filter(dimension='os', values=('os_uservalue_beos',), negate=True)), bucket=Bucket(unit='day', count=1), timezone='US/Pacific', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT b, channel_id, sum(f_n) AS m_views, countIf(f_n > 0) AS m_unique_viewers
  FROM (SELECT intDiv(toInt64(toRelativeDayNum(toDateTime(intDiv(first_ms, 1000)), {grid_tz:String})) - toInt64(toRelativeDayNum(toDateTime({grid_origin_s:UInt32}), {grid_tz:String})), {grid_count:Int64}) AS b, channel_id, viewer_key, sum(sign) AS f_n, sum(sign * toInt64(played_ms)) AS f_played
  FROM {db}.session_facts_by_start
  WHERE account_id = {acc0:String} AND first_ms >= {ms1:Int64} AND first_ms < {ms2:Int64} AND channel_id IN {flt3:Array(String)} AND os NOT IN {flt4:Array(String)}
  GROUP BY b, channel_id, viewer_key
  HAVING f_n > 0)
  GROUP BY b, channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "flt3": ["chan_uservalue_news", "chan_uservalue_sport"], "flt4": ["os_uservalue_beos"], "grid_count": 1, "grid_origin_s": 1772870400, "grid_tz": "US/Pacific", "ms1": 1772870400000, "ms2": 1773043200000}
