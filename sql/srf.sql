-- srf: set-returning functions.  RETURNS SETOF t and RETURNS TABLE (x t)
-- for every scalar t (bool, int2, int4, int8, float4, float8, date, time,
-- timestamp, timestamptz): the C function returns the array of t's value
-- type, one row per element, a NULL array the empty set.  The rows go into
-- a tuplestore (materialize mode), so work_mem applies; the array lives in
-- the sandbox, so the tenant's memory limit bounds it.  Every element is
-- checked like a scalar result (dates and times in range, domains).
-- SETOF text, varchar, bytea: sql/textarr.sql; sets of rows (SETOF a
-- composite type, RETURNS TABLE with several columns): sql/rows.sql.
-- Sets of arrays are refused (0A000).
\pset null '(null)'

CREATE ROLE regress_srf;
GRANT USAGE ON LANGUAGE tmebox TO regress_srf;
GRANT USAGE ON SCHEMA tmebox TO regress_srf;
GRANT CREATE ON SCHEMA public TO regress_srf;
SELECT tmebox.create_tenant('srf', owner => 'regress_srf') > 0 AS created;

CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

SET ROLE regress_srf;
SELECT cardinality(tmebox.create_module('srf', 'gen', $$
#include <stdint.h>
#include <stdbool.h>
#include <tmebox.h>

/* generate_series(a, b) for int8 */
tmebox_array_i64 *series(int64_t a, int64_t b)
{
	tmebox_array_i64 *r = tmebox_array_i64_new(b < a ? 0 : (uint32_t) (b - a + 1));
	for (uint32_t i = 0; i < r->n; i++)
		r->v[i] = a + i;
	return r;
}
tmebox_array_i32 *nothing(void) { return NULL; }
int32_t scalar(int32_t x) { return x; }
$$)) AS nexports;

---------------------------------------------------------------------------
-- 1. a module's function and bodies, in FROM and in the select list
---------------------------------------------------------------------------
CREATE FUNCTION series(int8, int8) RETURNS SETOF int8 LANGUAGE tmebox IMMUTABLE STRICT AS 'gen.series';
SELECT * FROM series(1, 5);
SELECT series(-2, 0), series(1, 2) AS two;
SELECT s, x FROM series(1, 3) AS s, LATERAL series(s, 3) AS x ORDER BY s, x;
SELECT s, series(1, s) FROM series(1, 3) AS s;
SELECT count(*) FROM series(5, 4);
SELECT series(NULL, 3), 'strict: no rows' AS note;

-- a body; not STRICT: the NULL flags, and a NULL result is the empty set
CREATE FUNCTION evens(n int4) RETURNS SETOF int4 LANGUAGE tmebox AS $$
	if (n_isnull)
		return NULL;
	tmebox_array_i32 *r = tmebox_array_i32_new(n < 0 ? 0 : (uint32_t) n);
	for (uint32_t i = 0; i < r->n; i++)
		r->v[i] = 2 * (int32_t) i;
	return r;
$$;
SELECT * FROM evens(4);
SELECT count(*) AS null_arg FROM evens(NULL);
SELECT count(*) AS zero FROM evens(0);
CREATE FUNCTION nothing() RETURNS SETOF int4 LANGUAGE tmebox AS 'gen.nothing';
SELECT count(*) AS null_result FROM nothing();
SELECT nothing() AS no_rows;
-- not STRICT with two arguments: the NULL flags follow all the arguments
CREATE FUNCTION span(a int4, b int4) RETURNS SETOF int4 LANGUAGE tmebox AS $$
	int32_t lo = a_isnull ? 0 : a, hi = b_isnull ? 3 : b;
	tmebox_array_i32 *r = tmebox_array_i32_new(hi < lo ? 0 : (uint32_t) (hi - lo + 1));
	for (uint32_t i = 0; i < r->n; i++)
		r->v[i] = lo + (int32_t) i;
	return r;
$$;
SELECT array_agg(x) FROM span(5, 7) AS x
UNION ALL SELECT array_agg(x) FROM span(NULL, 1) AS x
UNION ALL SELECT array_agg(x) FROM span(2, NULL) AS x;

-- every scalar type, a body in the translation-unit form too
CREATE FUNCTION flags() RETURNS SETOF bool LANGUAGE tmebox AS $$
	tmebox_array_bool *r = tmebox_array_bool_new(3);
	r->v[0] = true; r->v[2] = true;
	return r;
$$;
CREATE FUNCTION smalls() RETURNS SETOF int2 LANGUAGE tmebox AS $$
	tmebox_array_i16 *r = tmebox_array_i16_new(2);
	r->v[0] = -32768; r->v[1] = 32767;
	return r;
$$;
CREATE FUNCTION thirds(n int4) RETURNS SETOF float4 LANGUAGE tmebox STRICT AS $$
tmebox_array_f32 *thirds(int32_t n)
{
	tmebox_array_f32 *r = tmebox_array_f32_new((uint32_t) n);
	for (uint32_t i = 0; i < r->n; i++)
		r->v[i] = (float) i / 3;
	return r;
}
$$;
CREATE FUNCTION halves(n int4) RETURNS TABLE (h float8) LANGUAGE tmebox STRICT AS $$
	tmebox_array_f64 *r = tmebox_array_f64_new((uint32_t) n);
	for (uint32_t i = 0; i < r->n; i++)
		r->v[i] = i / 2.0;
	return r;
$$;
CREATE FUNCTION days(first date, n int4) RETURNS SETOF date LANGUAGE tmebox STRICT AS $$
	tmebox_array_i32 *r = tmebox_array_i32_new((uint32_t) n);
	for (uint32_t i = 0; i < r->n; i++)
		r->v[i] = first + 7 * (int32_t) i;
	return r;
$$;
CREATE FUNCTION hours(n int4) RETURNS SETOF time LANGUAGE tmebox STRICT AS $$
	tmebox_array_i64 *r = tmebox_array_i64_new((uint32_t) n);
	for (uint32_t i = 0; i < r->n; i++)
		r->v[i] = (int64_t) i * 3600 * 1000000;
	return r;
$$;
CREATE FUNCTION stamps(t timestamp) RETURNS SETOF timestamp LANGUAGE tmebox STRICT AS $$
	tmebox_array_i64 *r = tmebox_array_i64_new(2);
	r->v[0] = t; r->v[1] = TMEBOX_TIMESTAMP_POSINF;
	return r;
$$;
CREATE FUNCTION stampstz(t timestamptz) RETURNS SETOF timestamptz LANGUAGE tmebox STRICT AS $$
	tmebox_array_i64 *r = tmebox_array_i64_new(2);
	r->v[0] = t; r->v[1] = t + 86400LL * 1000000;
	return r;
$$;
SELECT * FROM flags();
SELECT * FROM smalls();
SELECT * FROM thirds(4);
SELECT * FROM halves(3);
SELECT h FROM halves(2);
SELECT * FROM days('2024-02-26', 3);
SELECT * FROM hours(3);
SELECT * FROM stamps('2024-01-01 12:00');
SET TimeZone = 'UTC';
SELECT * FROM stampstz('2024-01-01 12:00+00');
RESET TimeZone;
SELECT pg_typeof(x) FROM days('2024-01-01', 1) AS x
UNION ALL SELECT pg_typeof(h) FROM halves(1) AS h;

-- WITH ORDINALITY, ROWS FROM with two functions, a CTE, a join
SELECT * FROM evens(3) WITH ORDINALITY AS t(v, i);
SELECT * FROM ROWS FROM (evens(2), series(10, 12)) AS t(a, b);
SELECT sum(v) FROM evens(100) AS v JOIN series(0, 50) AS s ON v = s;

---------------------------------------------------------------------------
-- 2. every element checked like a scalar result
---------------------------------------------------------------------------
-- a date out of range anywhere in the set: 22008, no row returned
CREATE FUNCTION bad_days(n int4) RETURNS SETOF date LANGUAGE tmebox STRICT AS $$
	tmebox_array_i32 *r = tmebox_array_i32_new((uint32_t) n);
	for (uint32_t i = 0; i < r->n; i++)
		r->v[i] = (int32_t) i;
	r->v[r->n - 1] = 2147483000;	/* past 5874897 AD */
	return r;
$$;
SELECT * FROM bad_days(3);
SELECT bad_days(3);
CREATE FUNCTION bad_time() RETURNS SETOF time LANGUAGE tmebox AS $$
	tmebox_array_i64 *r = tmebox_array_i64_new(1);
	r->v[0] = -1;
	return r;
$$;
SELECT * FROM bad_time();
-- a domain element type: each element meets the domain
CREATE DOMAIN small_even AS int4 CHECK (VALUE % 2 = 0 AND VALUE < 10);
CREATE FUNCTION evens_dom(n int4) RETURNS SETOF small_even LANGUAGE tmebox STRICT AS $$
	tmebox_array_i32 *r = tmebox_array_i32_new((uint32_t) n);
	for (uint32_t i = 0; i < r->n; i++)
		r->v[i] = 2 * (int32_t) i;
	return r;
$$;
SELECT * FROM evens_dom(5);
SELECT pg_typeof(e) FROM evens_dom(1) AS e;
SELECT * FROM evens_dom(6);
SELECT evens_dom(6);
-- a C function whose result is not the array of the element type: 42P13
CREATE FUNCTION wrong() RETURNS SETOF int4 LANGUAGE tmebox AS 'gen.scalar';
CREATE FUNCTION wrong(int8, int8) RETURNS SETOF int4 LANGUAGE tmebox AS 'gen.series';
CREATE FUNCTION wrong() RETURNS SETOF int4 LANGUAGE tmebox AS $$ return 1; $$;

---------------------------------------------------------------------------
-- 3. memory: work_mem spills the rows, the tenant's limit bounds the array
---------------------------------------------------------------------------
RESET ROLE;
SELECT pg_stat_force_next_flush();
SELECT temp_files AS temp_files_before FROM pg_stat_database WHERE datname = current_database() \gset
SET ROLE regress_srf;
SET work_mem = '64kB';
SELECT count(*), sum(x), min(x), max(x) FROM series(1, 1000000) AS x;
SELECT sum(x) = 1000000::numeric * 1000001 / 2 AS sum_ok FROM series(1, 1000000) AS x;
SELECT count(*) FROM (SELECT series(1, 300000)) AS t;
RESET work_mem;
RESET ROLE;
SELECT pg_stat_force_next_flush();
-- the rows past work_mem went to temporary files
SELECT temp_files >= :temp_files_before + 3 AS spilled
FROM pg_stat_database WHERE datname = current_database();
SET ROLE regress_srf;
-- 10M int8 elements are 80 MB, more than the tenant's 64 MB: 53200, and
-- the sandbox works again afterwards
\set VERBOSITY terse
SELECT count(*) FROM series(1, 10000000);
\set VERBOSITY default
SELECT count(*) AS after_oom FROM series(1, 10);
SELECT pg_temp.sqlstate_of('SELECT count(*) FROM series(1, 10000000)') AS too_big;

---------------------------------------------------------------------------
-- 4. what is refused: sets of arrays, other modes (SETOF record: records.sql)
---------------------------------------------------------------------------
CREATE FUNCTION words() RETURNS SETOF text[] LANGUAGE tmebox AS $$ return NULL; $$;
CREATE FUNCTION blobs() RETURNS TABLE (b bytea[]) LANGUAGE tmebox AS $$ return NULL; $$;
CREATE FUNCTION arrays() RETURNS SETOF int4[] LANGUAGE tmebox AS $$ return NULL; $$;
SET check_function_bodies = off;
CREATE FUNCTION words() RETURNS SETOF text[] LANGUAGE tmebox AS $$ return NULL; $$;
RESET check_function_bodies;
SELECT q AS statement, pg_temp.sqlstate_of(q) AS sqlstate FROM (VALUES
	('CREATE FUNCTION words() RETURNS SETOF text[] LANGUAGE tmebox AS $b$ return NULL; $b$'),
	('SELECT * FROM bad_days(3)'),
	('SELECT * FROM evens_dom(6)')
) AS t(q);
RESET ROLE;

DROP OWNED BY regress_srf CASCADE;
SELECT tmebox.drop_module('srf', 'gen');
SELECT tmebox.drop_tenant('srf');
DROP ROLE regress_srf;
