-- test: test_sql_snapshot[rollup-rate-day_pacific-slice]
-- rollups on: bandwidth by Pacific day in a slice scope, and ad_viewers (a distinct count) from raw events in its own statement
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=('srv_uservalue_1',), channels=()), SliceScope(servers=(), channels=('chan_uservalue_slice',)))), metrics=('bandwidth_bps', 'ad_viewers'), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('channel_id',), filters=(), bucket=Bucket(unit='day', count=1), timezone='US/Pacific', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT intDiv(toInt64(toRelativeDayNum(toDateTime(intDiv((toInt64(toUInt32(period)) * 1000), 1000)), {grid_tz:String})) - toInt64(toRelativeDayNum(toDateTime({grid_origin_s:UInt32}), {grid_tz:String})), {grid_count:Int64}) AS b, channel_id, sum(bytes_cdn + bytes_p2p) AS m_bytes_total
  FROM {db}.rollup_streams_1h
  WHERE account_id = {acc0:String} AND period >= toDateTime({t1:UInt32}) AND period < toDateTime({t2:UInt32}) AND ((server_id IN {srv3:Array(String)}) OR (channel_id IN {chn4:Array(String)}))
  GROUP BY b, channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "chn4": ["chan_uservalue_slice"], "grid_count": 1, "grid_origin_s": 1772870400, "grid_tz": "US/Pacific", "srv3": ["srv_uservalue_1"], "t1": 1772870400, "t2": 1773043200}

-- statement 2
SELECT intDiv(toInt64(toRelativeDayNum(toDateTime(intDiv(ts_ms, 1000)), {grid_tz:String})) - toInt64(toRelativeDayNum(toDateTime({grid_origin_s:UInt32}), {grid_tz:String})), {grid_count:Int64}) AS b, channel_id, uniqExactIf(viewer, type = 'ad_impression') AS m_ad_viewers
  FROM {db}.events
  WHERE account_id = {acc0:String} AND ts >= toDateTime({t1:UInt32}) AND ts <= toDateTime({t2:UInt32}) AND ts_ms >= {ms3:Int64} AND ts_ms < {ms4:Int64} AND ((server_id IN {srv5:Array(String)}) OR (channel_id IN {chn6:Array(String)}))
  GROUP BY b, channel_id;
-- params:
{"acc0": "acct_uservalue_7f3a", "chn6": ["chan_uservalue_slice"], "grid_count": 1, "grid_origin_s": 1772870400, "grid_tz": "US/Pacific", "ms3": 1772870400000, "ms4": 1773043200000, "srv5": ["srv_uservalue_1"], "t1": 1772870400, "t2": 1773043200}
