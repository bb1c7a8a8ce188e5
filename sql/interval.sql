-- interval: PostgreSQL's representation in the sandbox (tmebox.h's
-- tmebox_interval: microseconds, days and months kept apart) with
-- tmebox.h's helpers (make, timestamp + interval, compare, justify)
-- agreeing with PostgreSQL's own operators; interval[] with NULL
-- elements; a malformed interval from the view is an invalid result
-- (38000); domains over interval.
\pset null '(null)'

CREATE ROLE regress_interval;
GRANT USAGE ON LANGUAGE tmebox TO regress_interval;
GRANT USAGE ON SCHEMA tmebox TO regress_interval;
GRANT CREATE ON SCHEMA public TO regress_interval;
SELECT tmebox.create_tenant('intervals', owner => 'regress_interval') > 0 AS created;

CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

SET ROLE regress_interval;

CREATE FUNCTION iv_fields(iv interval) RETURNS text LANGUAGE tmebox STRICT AS $$
	char		out[100];
	snprintf(out, sizeof out, "len=%u months=%d days=%d usecs=%lld", iv->len,
			 iv->month, iv->day, (long long) iv->time);
	return tmebox_buf_from_cstr(out);
$$;
CREATE FUNCTION iv_make(months int, days int, usecs int8) RETURNS interval
LANGUAGE tmebox STRICT AS $$ return tmebox_interval_make(months, days, usecs); $$;
CREATE FUNCTION iv_plus(ts timestamp, iv interval) RETURNS timestamp
LANGUAGE tmebox STRICT AS $$ return tmebox_timestamp_add_interval(ts, iv); $$;
CREATE FUNCTION iv_cmp(a interval, b interval) RETURNS int
LANGUAGE tmebox STRICT AS $$ return tmebox_interval_cmp(a, b); $$;
CREATE FUNCTION iv_justify(iv interval) RETURNS interval
LANGUAGE tmebox STRICT AS $$ return tmebox_interval_justify(iv); $$;

CREATE FUNCTION iv_copy(iv interval) RETURNS interval LANGUAGE tmebox STRICT AS $$
	tmebox_interval *r = malloc(sizeof *r);
	memcpy(r, iv, sizeof *r);
	return r;
$$;
SELECT iv, iv_fields(iv), iv_copy(iv) = iv AND iv_copy(iv)::text = iv::text AS same
FROM (VALUES (interval '0'), ('1 year 2 mons 3 days 04:05:06.789'), ('-1 mon 30 days'),
	('-00:00:00.000001'), ('178000000 years'), ('-2147483648 days'),
	('2562047788:00:54.775807')) AS t(iv);
SELECT iv_copy(NULL) AS strict_null;
SELECT iv_make(1, -2, -3), iv_make(-2147483648, 2147483647, 9223372036854775807);

-- timestamp + interval, order and justification as PostgreSQL's
CREATE TEMP TABLE cases (ts timestamp, iv interval);
INSERT INTO cases VALUES
	('2024-01-31 10:00', '1 mon 1 day 1 hour'), ('2023-03-31', '-1 mon'),
	('2024-02-29', '1 year'), ('2000-01-01', '-36 hours'), ('1999-12-31 23:59:59.999999', '1 microsecond'),
	('infinity', '1 day'), ('-infinity', '-1 year'), ('0001-01-01 BC', '1 day'),
	('2020-06-15', '-2 mons -15 days 25:00');
SELECT ts, iv, iv_plus(ts, iv), iv_plus(ts, iv) = ts + iv AS same FROM cases;
SELECT pg_temp.sqlstate_of($$SELECT iv_plus('294276-12-31', '2 days')$$) AS past_the_end,
	pg_temp.sqlstate_of($$SELECT iv_plus('2000-01-01', '178000000 years')$$) AS far_months;
SELECT a, b, iv_cmp(a, b), sign(iv_cmp(a, b)) = (CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END) AS same
FROM (VALUES ('1 mon'::interval, '30 days'::interval), ('1 day', '24 hours'),
	('1 day', '24:00:00.000001'), ('-1 mon', '-29 days -24 hours -1 microsecond'),
	('178000000 years', '-178000000 years'), ('2147483647 days 2562047788:00:54.775807',
	'178956970 years 7 mons 2147483647 days')) AS t(a, b);
SELECT iv, iv_justify(iv), iv_justify(iv) = justify_interval(iv) AND
	iv_fields(iv_justify(iv)) = iv_fields(justify_interval(iv)) AS same
FROM (VALUES (interval '1 mon -1 hour'), ('-35 days 49 hours'), ('29 days 23:59:60'),
	('-1 mon 65 days -25 hours'), ('0'), ('2147483647 days 24 hours')) AS t(iv);

-- interval[]: NULL elements both ways, empty arrays
CREATE FUNCTION iv_total(a interval[]) RETURNS interval LANGUAGE tmebox STRICT AS $$
	int32_t		m = 0, d = 0;
	int64_t		t = 0;
	for (uint32_t i = 0; i < a->n; i++)
		if (a->v[i])
		{
			m += a->v[i]->month;
			d += a->v[i]->day;
			t += a->v[i]->time;
		}
	return tmebox_interval_make(m, d, t);
$$;
CREATE FUNCTION iv_doubled(a interval[]) RETURNS interval[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_interval *r = tmebox_array_interval_new(a->n);
	for (uint32_t i = 0; i < a->n; i++)
		if (a->v[i])
			r->v[i] = tmebox_interval_make(2 * a->v[i]->month, 2 * a->v[i]->day,
										   2 * a->v[i]->time);
	return r;
$$;
SELECT iv_total('{1 day, NULL, 2 hours, 1 mon}'), iv_total('{}'),
	iv_doubled('{1 day, NULL, 00:00:01.5}'), iv_doubled('{}');

-- a malformed interval from the view: 38000; any 16 bytes print
CREATE FUNCTION iv_forge(len int) RETURNS interval LANGUAGE tmebox STRICT AS $$
	tmebox_interval *r = tmebox_interval_make(INT32_MIN, INT32_MIN, INT64_MIN);
	r->len = (uint32_t) len;
	return r;
$$;
SELECT iv_forge(20) AS extremes;
SELECT iv_forge(19);
SELECT pg_temp.sqlstate_of($$SELECT iv_forge(16)$$) AS short,
	pg_temp.sqlstate_of($$SELECT iv_forge(24)$$) AS long,
	pg_temp.sqlstate_of($$SELECT iv_forge(-1)$$) AS past_the_heap;
SELECT pg_temp.sqlstate_of($$SELECT iv_justify(iv_forge(20))$$) AS justify_overflow,
	pg_temp.sqlstate_of($$SELECT iv_cmp(iv_forge(20), '1 day')$$) AS cmp_extremes;

-- domains over interval, checked on output
CREATE DOMAIN short_span AS interval CHECK (VALUE < '1 day');
CREATE FUNCTION span_of(usecs int8) RETURNS short_span LANGUAGE tmebox STRICT
AS $$ return tmebox_interval_make(0, 0, usecs); $$;
SELECT span_of(3600000000), pg_typeof(span_of(0));
SELECT span_of(86400000000);

RESET ROLE;
DROP DOMAIN short_span CASCADE;
SELECT tmebox.drop_tenant('intervals');
DROP OWNED BY regress_interval;
DROP ROLE regress_interval;
