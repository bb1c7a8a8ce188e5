-- types: the SQL types of TMEBOX_SQL_TYPES beyond the first eleven.
-- int2[], float4[] and bool[] arrays in and out; varchar and char(n) as
-- text; date, time, timestamp and timestamptz in PostgreSQL's own integer
-- representation with tmebox.h's helpers; results outside a date or time
-- type's range are refused (22008) instead of reaching a table; name, json
-- and jsonb as text, uuid as its 16 bytes, each result checked to be a
-- valid value of its type; domains over the new types.
\pset null '(null)'

CREATE ROLE regress_types;
GRANT USAGE ON LANGUAGE tmebox TO regress_types;
GRANT USAGE ON SCHEMA tmebox TO regress_types;
GRANT CREATE ON SCHEMA public TO regress_types;
SELECT tmebox.create_tenant('types', owner => 'regress_types') > 0 AS created;

CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

SET ROLE regress_types;

-- arrays of int2, float4 and bool: element widths 2, 4 and 1
CREATE FUNCTION rev16(a int2[]) RETURNS int2[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_i16 *r = tmebox_array_i16_new(a->n);
	for (uint32_t i = 0; i < a->n; i++)
		r->v[i] = a->v[a->n - 1 - i];
	return r;
$$;
CREATE FUNCTION halves(a float4[]) RETURNS float4[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_f32 *r = tmebox_array_f32_new(a->n);
	for (uint32_t i = 0; i < a->n; i++)
		r->v[i] = a->v[i] / 2;
	return r;
$$;
CREATE FUNCTION nots(a bool[]) RETURNS bool[] LANGUAGE tmebox AS $$
	if (a_isnull)
		return NULL;
	tmebox_array_bool *r = tmebox_array_bool_new(a->n);
	for (uint32_t i = 0; i < a->n; i++)
		r->v[i] = !a->v[i];
	return r;
$$;
SELECT rev16('{1,-2,32767,-32768}'), rev16('{}'), halves('{1,-3,1e30}'),
	nots('{t,f,f}'), nots(NULL), nots('{}');
-- rev16 does not declare tmebox.array_nulls (arrays.sql): a NULL element
-- and several dimensions are refused
SELECT rev16(ARRAY[1, NULL]::int2[]);
SELECT rev16('{{1,2},{3,4}}');
SELECT pg_typeof(rev16('{1}')), pg_typeof(halves('{1}')), pg_typeof(nots('{t}'));

-- varchar and char(n) are text (char(n) with its padding)
CREATE FUNCTION shout(s varchar) RETURNS varchar LANGUAGE tmebox STRICT AS $$
	tmebox_buf *r = tmebox_buf_new(s->len + 1);
	for (uint32_t i = 0; i < s->len; i++)
		r->data[i] = (s->data[i] >= 'a' && s->data[i] <= 'z') ? s->data[i] - 32 : s->data[i];
	r->data[s->len] = '!';
	return r;
$$;
CREATE FUNCTION padded_len(c char(6)) RETURNS int4 LANGUAGE tmebox STRICT AS $$
	return (int32_t) c->len;
$$;
SELECT shout('hello'::varchar(10)), padded_len('ab'::char(6)), pg_typeof(shout('x'));
CREATE FUNCTION bad_varchar() RETURNS varchar LANGUAGE tmebox AS $$
	return tmebox_buf_from("\xff\xfe", 2);
$$;
SELECT bad_varchar();

-- dates: days since 2000-01-01, built and taken apart with tmebox.h
CREATE FUNCTION day_number(d date) RETURNS int4 LANGUAGE tmebox STRICT AS $$
	return d;
$$;
CREATE FUNCTION make_day(y int4, m int4, d int4) RETURNS date LANGUAGE tmebox STRICT AS $$
	return tmebox_date_from_ymd(y, m, d);
$$;
CREATE FUNCTION next_month_first(d date) RETURNS date LANGUAGE tmebox STRICT AS $$
	int y, m, day;
	tmebox_date_to_ymd(d, &y, &m, &day);
	return m == 12 ? tmebox_date_from_ymd(y + 1, 1, 1) : tmebox_date_from_ymd(y, m + 1, 1);
$$;
CREATE FUNCTION weekday(d date) RETURNS int4 LANGUAGE tmebox STRICT AS $$
	return tmebox_date_dow(d);
$$;
SELECT day_number('2000-01-01'), day_number('2024-02-29'), day_number('1970-01-01'),
	make_day(2024, 2, 29), make_day(-4713, 11, 24), next_month_first('2023-12-31'),
	next_month_first('2024-01-31');
SELECT count(*) AS days_that_disagree
FROM generate_series(date '1899-12-25', date '2101-01-07', interval '1 day') AS g(t)
WHERE weekday(t::date) <> extract(dow FROM t)
   OR make_day(extract(year FROM t)::int4, extract(month FROM t)::int4,
			   extract(day FROM t)::int4) <> t::date
   OR day_number(t::date) <> t::date - date '2000-01-01';
SELECT make_day(2023, 2, 29);
SELECT day_number('infinity'), day_number('-infinity');

-- a result outside the type's range is an error, never a stored value
CREATE FUNCTION raw_date(n int4) RETURNS date LANGUAGE tmebox STRICT AS $$
	return n;
$$;
SELECT raw_date(0), raw_date(2147483647) AS infinity, raw_date(-2147483648) AS minus_infinity;
SELECT raw_date(2147483000);
SELECT pg_temp.sqlstate_of('SELECT raw_date(-2451546)') AS before_julian_day_0;

-- time, timestamp and timestamptz: microseconds
CREATE FUNCTION add_hour(t timestamp) RETURNS timestamp LANGUAGE tmebox STRICT AS $$
	return t + INT64_C(3600000000);
$$;
CREATE FUNCTION at_noon(d date) RETURNS timestamptz LANGUAGE tmebox STRICT AS $$
	return tmebox_timestamp_from(d, TMEBOX_USECS_PER_DAY / 2);
$$;
CREATE FUNCTION time_of(t timestamp) RETURNS time LANGUAGE tmebox STRICT AS $$
	tmebox_date d;
	tmebox_time us;
	tmebox_timestamp_split(t, &d, &us);
	return us;
$$;
CREATE FUNCTION raw_time(n int8) RETURNS time LANGUAGE tmebox STRICT AS $$
	return n;
$$;
CREATE FUNCTION raw_ts(n int8) RETURNS timestamptz LANGUAGE tmebox STRICT AS $$
	return n;
$$;
SET timezone = 'UTC';
SELECT add_hour('2024-02-29 23:30'), at_noon('2024-02-29'), time_of('1999-12-31 23:59:59.5'),
	time_of('2024-06-01 00:00:01'), raw_time(86400000000) AS end_of_day;
SELECT raw_time(86400000001);
SELECT raw_time(-1);
SELECT raw_ts(9223372036854775807) AS infinity, raw_ts(0) AS epoch_2000;
SELECT raw_ts(9223372036854775000);
RESET timezone;

-- a domain over a date: the domain's CHECK and the type's range
CREATE DOMAIN recent AS date CHECK (VALUE >= date '2000-01-01');
CREATE FUNCTION days_later(d date, n int4) RETURNS recent LANGUAGE tmebox STRICT AS $$
	return d + n;
$$;
SELECT days_later('2000-01-01', 31);
SELECT days_later('1999-12-01', 1);
SELECT pg_temp.sqlstate_of($$SELECT days_later('1999-12-01', 1)$$) AS domain_check,
	pg_temp.sqlstate_of($$SELECT raw_time(-1)$$) AS time_range,
	pg_temp.sqlstate_of($$SELECT make_day(2023, 2, 29)$$) AS bad_day;

-- name: its characters (no NUL padding) in; a result is checked like text
-- and cut to 63 bytes at a character boundary, as namein does
CREATE FUNCTION name_len(n name) RETURNS int4 LANGUAGE tmebox STRICT AS $$
	return (int32_t) n->len;
$$;
CREATE FUNCTION name_of(t text) RETURNS name LANGUAGE tmebox STRICT AS $$
	return tmebox_buf_from(t->data, t->len);
$$;
CREATE FUNCTION name_upper(n name) RETURNS name LANGUAGE tmebox STRICT AS $$
	tmebox_buf *r = tmebox_buf_new(n->len);
	for (uint32_t i = 0; i < n->len; i++)
		r->data[i] = (n->data[i] >= 'a' && n->data[i] <= 'z') ? n->data[i] - 32 : n->data[i];
	return r;
$$;
SELECT name_len('pg_class'), name_len(''), name_len(repeat('x', 70)),
	name_upper('pg_class'), pg_typeof(name_upper('a'));
SELECT name_of(repeat('x', 63)) = repeat('x', 63) AS fits,
	name_of(repeat('x', 64)) = repeat('x', 63) AS cut_to_63,
	octet_length(name_of(repeat('é', 40))::text) AS bytes_of_31_chars,
	name_of(repeat('é', 40)) = repeat('é', 40)::name AS like_namein;
CREATE FUNCTION bad_name(nul bool) RETURNS name LANGUAGE tmebox STRICT AS $$
	return nul ? tmebox_buf_from("a\0b", 3) : tmebox_buf_from("\xc3", 1);
$$;
SELECT bad_name(true);
SELECT bad_name(false);

-- json: the text as written in; a result must be valid JSON (22P02)
CREATE FUNCTION json_echo(j json) RETURNS json LANGUAGE tmebox STRICT AS $$
	return tmebox_buf_from(j->data, j->len);
$$;
CREATE FUNCTION json_of(t text) RETURNS json LANGUAGE tmebox STRICT AS $$
	return tmebox_buf_from(t->data, t->len);
$$;
SELECT json_echo('{"b": 1,  "a": [1, 2.50], "b": 2}'), json_of(' [1, "two", null] '),
	pg_typeof(json_of('3'));
SELECT json_of('{"a": 1');
SELECT json_of('');
SELECT pg_temp.sqlstate_of($$SELECT json_of('[1,]')$$) AS bad_json;

-- jsonb: its text form (jsonb_out's) in; a result is parsed by jsonb_in
CREATE FUNCTION jsonb_text(j jsonb) RETURNS text LANGUAGE tmebox STRICT AS $$
	return tmebox_buf_from(j->data, j->len);
$$;
CREATE FUNCTION jsonb_of(t text) RETURNS jsonb LANGUAGE tmebox STRICT AS $$
	return tmebox_buf_from(t->data, t->len);
$$;
SELECT jsonb_text('{"b": 1,  "a": [1, 2.50], "b": 2}'), jsonb_of('{"x": [true, null]}') -> 'x',
	pg_typeof(jsonb_of('1'));
SELECT length(jsonb_text(j)) = length(j::text) AS large_argument
FROM (SELECT jsonb_agg(g) AS j FROM generate_series(1, 50000) g) s;
SELECT jsonb_of('{"x": }');
SELECT pg_temp.sqlstate_of($$SELECT jsonb_of('nul')$$) AS bad_jsonb;

-- uuid: its 16 bytes; a result of any other length is refused (22P03)
CREATE FUNCTION uuid_bytes(u uuid) RETURNS bytea LANGUAGE tmebox STRICT AS $$
	return tmebox_buf_from(u->data, u->len);
$$;
CREATE FUNCTION uuid_of(b bytea) RETURNS uuid LANGUAGE tmebox AS $$
	if (b_isnull)
		return NULL;
	return tmebox_buf_from(b->data, b->len);
$$;
CREATE FUNCTION uuid_v4(u uuid) RETURNS uuid LANGUAGE tmebox STRICT AS $$
	tmebox_buf *r = tmebox_buf_from(u->data, TMEBOX_UUID_LEN);
	r->data[6] = (char) ((r->data[6] & 0x0f) | 0x40);
	r->data[8] = (char) ((r->data[8] & 0x3f) | 0x80);
	return r;
$$;
SELECT uuid_bytes('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
	uuid_of('\x00112233445566778899aabbccddeeff'), uuid_of(NULL),
	uuid_v4('ffffffff-ffff-ffff-ffff-ffffffffffff'), pg_typeof(uuid_of(NULL));
SELECT uuid_of('\x00112233445566778899aabbccddee');
SELECT uuid_of('\x00112233445566778899aabbccddeeff00');
SELECT pg_temp.sqlstate_of($$SELECT uuid_of('')$$) AS empty_uuid;

-- domains over each: arguments marshalled as the base type, results
-- checked as the base type and then against the domain
CREATE DOMAIN short_name AS name CHECK (length(VALUE) <= 8);
CREATE DOMAIN json_object AS json CHECK (json_typeof(VALUE) = 'object');
CREATE DOMAIN jsonb_object AS jsonb CHECK (jsonb_typeof(VALUE) = 'object');
CREATE DOMAIN some_uuid AS uuid CHECK (VALUE <> '00000000-0000-0000-0000-000000000000');
CREATE FUNCTION d_name(n short_name) RETURNS short_name LANGUAGE tmebox STRICT AS $$
	tmebox_buf *r = tmebox_buf_new(n->len + 1);
	for (uint32_t i = 0; i < n->len; i++)
		r->data[i] = n->data[i];
	r->data[n->len] = '!';
	return r;
$$;
CREATE FUNCTION d_json(j json_object, t text) RETURNS json_object LANGUAGE tmebox STRICT AS $$
	(void) j;
	return tmebox_buf_from(t->data, t->len);
$$;
CREATE FUNCTION d_jsonb(j jsonb_object, t text) RETURNS jsonb_object LANGUAGE tmebox STRICT AS $$
	return t->len ? tmebox_buf_from(t->data, t->len) : tmebox_buf_from(j->data, j->len);
$$;
CREATE FUNCTION d_uuid(u some_uuid, zero bool) RETURNS some_uuid LANGUAGE tmebox STRICT AS $$
	tmebox_buf *r = tmebox_buf_from(u->data, u->len);
	if (zero)
		for (int i = 0; i < TMEBOX_UUID_LEN; i++)
			r->data[i] = 0;
	return r;
$$;
SELECT d_name('abc'), d_json('{}', '{"k": 1}'), d_jsonb('{"k": [1]}', ''),
	d_uuid('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', false);
SELECT pg_temp.sqlstate_of($$SELECT d_name('abcdefgh')$$) AS name_check,
	pg_temp.sqlstate_of($$SELECT d_json('{}', '[]')$$) AS json_check,
	pg_temp.sqlstate_of($$SELECT d_json('{}', '{')$$) AS json_invalid,
	pg_temp.sqlstate_of($$SELECT d_jsonb('{}', '1')$$) AS jsonb_check,
	pg_temp.sqlstate_of($$SELECT d_uuid('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', true)$$) AS uuid_check;

-- still refused: types outside the table, with the table in the hint
CREATE FUNCTION takes_money(n money) RETURNS int4 LANGUAGE tmebox AS $$ return 0; $$;
RESET ROLE;

DROP FUNCTION rev16(int2[]), halves(float4[]), nots(bool[]), shout(varchar),
	padded_len(char), bad_varchar(), day_number(date), make_day(int4, int4, int4),
	next_month_first(date), weekday(date), raw_date(int4), add_hour(timestamp),
	at_noon(date), time_of(timestamp), raw_time(int8), raw_ts(int8),
	days_later(date, int4), name_len(name), name_of(text), name_upper(name),
	bad_name(bool), json_echo(json), json_of(text), jsonb_text(jsonb), jsonb_of(text),
	uuid_bytes(uuid), uuid_of(bytea), uuid_v4(uuid), d_name(short_name),
	d_json(json_object, text), d_jsonb(jsonb_object, text), d_uuid(some_uuid, bool);
DROP DOMAIN recent, short_name, json_object, jsonb_object, some_uuid;
-- Typmods apply to results as an assignment cast applies them (red team
-- s9 F3): a domain over varchar(3) refuses a longer value (22001), one
-- over timestamp(0) rounds, a varchar(3) column of a returned row refuses
-- a longer value, a char(4) one pads.
CREATE DOMAIN short3 AS varchar(3);
CREATE DOMAIN whole_second AS timestamp(0);
CREATE TYPE tm_row AS (code varchar(3), tag char(4));
GRANT USAGE ON DOMAIN short3, whole_second TO regress_types;
GRANT USAGE ON TYPE tm_row TO regress_types;
SET ROLE regress_types;
CREATE FUNCTION to_short3(s text) RETURNS short3 LANGUAGE tmebox STRICT AS $$
	return (tmebox_buf *) s;
$$;
CREATE FUNCTION to_whole_second(us int8) RETURNS whole_second LANGUAGE tmebox STRICT AS $$
	return us;
$$;
CREATE FUNCTION to_tm_row(code text) RETURNS tm_row LANGUAGE tmebox STRICT AS $$
	tm_row *r = calloc(1, sizeof(tm_row));

	r->code = (tmebox_buf *) code;
	r->tag = tmebox_buf_from("ab", 2);
	return r;
$$;
SELECT to_short3('abc');
SELECT pg_temp.sqlstate_of($$SELECT to_short3('abcdef')$$) AS too_long;
SELECT to_whole_second(1500000), to_whole_second(1400000);
SELECT to_tm_row('xyz'), (to_tm_row('xyz')).tag || '|' AS padded;
SELECT pg_temp.sqlstate_of($$SELECT to_tm_row('wxyz')$$) AS too_long_column;
RESET ROLE;
DROP FUNCTION to_short3(text), to_whole_second(int8), to_tm_row(text);
DROP TYPE tm_row;
DROP DOMAIN short3, whole_second;
SELECT tmebox.drop_tenant('types');
DROP OWNED BY regress_types;
DROP ROLE regress_types;
