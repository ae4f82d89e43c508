-- test: test_sql_snapshot[span_class]
-- views by view-duration class (sessions only)
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=('views', 'active_views'), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('span_class',), filters=(Filter(dimension='span_class', values=('l5s',), negate=True),), bucket=Bucket(unit='day', count=1), timezone='US/Pacific', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT intDiv(toInt64(toRelativeDayNum(toDateTime(intDiv(first_ms, 1000)), {grid_tz:String})) - toInt64(toRelativeDayNum(toDateTime({grid_origin_s:UInt32}), {grid_tz:String})), {grid_count:Int64}) AS b, multiIf(last_ms - first_ms < 5000, 'l5s', last_ms - first_ms < 10000, 'l10s', last_ms - first_ms < 15000, 'l15s', last_ms - first_ms < 20000, 'l20s', last_ms - first_ms < 25000, 'l25s', last_ms - first_ms < 30000, 'l30s', last_ms - first_ms < 300000, 'l5m', last_ms - first_ms < 900000, 'l15m', last_ms - first_ms < 1800000, 'l30m', last_ms - first_ms < 3600000, 'l1h', last_ms - first_ms < 7200000, 'l2h', last_ms - first_ms < 10800000, 'l3h', 'g3h') AS span_class, count() AS m_views
  FROM (SELECT session_id, min(ts_ms) AS first_ms, max(ts_ms) AS last_ms
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND session_id IN (SELECT session_id
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND ts >= toStartOfHour(toDateTime({h4:UInt32})) AND ts < toStartOfHour(toDateTime({h5:UInt32})) + 3600)
  GROUP BY session_id
  HAVING first_ms >= {ms1:Int64} AND first_ms < {ms2:Int64} AND multiIf(last_ms - first_ms < 5000, 'l5s', last_ms - first_ms < 10000, 'l10s', last_ms - first_ms < 15000, 'l15s', last_ms - first_ms < 20000, 'l20s', last_ms - first_ms < 25000, 'l25s', last_ms - first_ms < 30000, 'l30s', last_ms - first_ms < 300000, 'l5m', last_ms - first_ms < 900000, 'l15m', last_ms - first_ms < 1800000, 'l30m', last_ms - first_ms < 3600000, 'l1h', last_ms - first_ms < 7200000, 'l2h', last_ms - first_ms < 10800000, 'l3h', 'g3h') NOT IN {flt3:Array(String)})
  GROUP BY b, span_class;
-- params:
{"acc0": "acct_uservalue_7f3a", "flt3": ["l5s"], "grid_count": 1, "grid_origin_s": 1772870400, "grid_tz": "US/Pacific", "h4": 1772870400, "h5": 1773043200, "ms1": 1772870400000, "ms2": 1773043200000}

-- statement 2
SELECT arrayJoin(arrayMap(i -> toInt64(i) + greatest(intDiv(toInt64(toRelativeDayNum(toDateTime(intDiv(first_ms, 1000)), {grid_tz:String})) - toInt64(toRelativeDayNum(toDateTime({grid_origin_s:UInt32}), {grid_tz:String})), {grid_count:Int64}), 0), range(toUInt64(least(intDiv(toInt64(toRelativeDayNum(toDateTime(intDiv(last_ms, 1000)), {grid_tz:String})) - toInt64(toRelativeDayNum(toDateTime({grid_origin_s:UInt32}), {grid_tz:String})), {grid_count:Int64}), {n6:Int64}) - greatest(intDiv(toInt64(toRelativeDayNum(toDateTime(intDiv(first_ms, 1000)), {grid_tz:String})) - toInt64(toRelativeDayNum(toDateTime({grid_origin_s:UInt32}), {grid_tz:String})), {grid_count:Int64}), 0) + 1)))) AS b, multiIf(last_ms - first_ms < 5000, 'l5s', last_ms - first_ms < 10000, 'l10s', last_ms - first_ms < 15000, 'l15s', last_ms - first_ms < 20000, 'l20s', last_ms - first_ms < 25000, 'l25s', last_ms - first_ms < 30000, 'l30s', last_ms - first_ms < 300000, 'l5m', last_ms - first_ms < 900000, 'l15m', last_ms - first_ms < 1800000, 'l30m', last_ms - first_ms < 3600000, 'l1h', last_ms - first_ms < 7200000, 'l2h', last_ms - first_ms < 10800000, 'l3h', 'g3h') AS span_class, count() AS m_active_views
  FROM (SELECT session_id, min(ts_ms) AS first_ms, max(ts_ms) AS last_ms
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND session_id IN (SELECT session_id
  FROM {db}.events
  WHERE account_id = {acc0:String} AND session_id != '' AND ts >= toStartOfHour(toDateTime({h4:UInt32})) AND ts < toStartOfHour(toDateTime({h5:UInt32})) + 3600)
  GROUP BY session_id
  HAVING first_ms < {ms1:Int64} AND last_ms >= {ms2:Int64} AND multiIf(last_ms - first_ms < 5000, 'l5s', last_ms - first_ms < 10000, 'l10s', last_ms - first_ms < 15000, 'l15s', last_ms - first_ms < 20000, 'l20s', last_ms - first_ms < 25000, 'l25s', last_ms - first_ms < 30000, 'l30s', last_ms - first_ms < 300000, 'l5m', last_ms - first_ms < 900000, 'l15m', last_ms - first_ms < 1800000, 'l30m', last_ms - first_ms < 3600000, 'l1h', last_ms - first_ms < 7200000, 'l2h', last_ms - first_ms < 10800000, 'l3h', 'g3h') NOT IN {flt3:Array(String)})
  GROUP BY b, span_class;
-- params:
{"acc0": "acct_uservalue_7f3a", "flt3": ["l5s"], "grid_count": 1, "grid_origin_s": 1772870400, "grid_tz": "US/Pacific", "h4": 1772784000, "h5": 1773043200, "ms1": 1773043200000, "ms2": 1772870400000, "n6": 2}
