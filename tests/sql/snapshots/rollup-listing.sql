-- test: test_sql_snapshot[rollup-listing]
-- rollups on: a listing of stream_uri from the hourly streams rollup
-- query: Query(scope=Scope(account_id='acct_uservalue_7f3a', slices=(SliceScope(servers=(), channels=()),)), metrics=(), time=TimeRange(start=datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=datetime.timezone.utc)), dimensions=('stream_uri',), filters=(), bucket=None, timezone='UTC', sub_bucket=None, source=None, rate_seconds=None, fill=True, order_by=(), limit=None, offset=0, keep_empty=False)

-- statement 1
SELECT stream_uri
  FROM (SELECT stream_uri
  FROM {db}.rollup_streams_1h
  WHERE account_id = {acc0:String} AND period >= toDateTime({t1:UInt32}) AND period < toDateTime({t2:UInt32}) UNION ALL SELECT stream_uri
  FROM {db}.rollup_streams_1d
  WHERE account_id = {acc3:String} AND period >= toDateTime({t4:UInt32}) AND period < toDateTime({t5:UInt32}) UNION ALL SELECT stream_uri
  FROM {db}.rollup_streams_1h
  WHERE account_id = {acc6:String} AND period >= toDateTime({t7:UInt32}) AND period < toDateTime({t8:UInt32}))
  GROUP BY stream_uri
  HAVING toString(stream_uri) != '';
-- params:
{"acc0": "acct_uservalue_7f3a", "acc3": "acct_uservalue_7f3a", "acc6": "acct_uservalue_7f3a", "t1": 1772870400, "t2": 1772928000, "t4": 1772928000, "t5": 1773014400, "t7": 1773014400, "t8": 1773043200}
