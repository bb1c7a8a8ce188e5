-- results: no silent wrong results.  Function kinds the language cannot
-- run are refused at CREATE FUNCTION and again at the call; results of a
-- domain type meet the domain; INT_MIN / -1 is an overflow (22003), not a
-- division by zero (22012); a session's tmebox.tenant and the hint about
-- it agree; printf output is a NOTICE that client_min_messages filters.
\pset null '(null)'

CREATE ROLE regress_res;
GRANT USAGE ON LANGUAGE tmebox TO regress_res;
GRANT USAGE ON SCHEMA tmebox TO regress_res;
GRANT CREATE ON SCHEMA public TO regress_res;
SELECT tmebox.create_tenant('res', owner => 'regress_res') > 0 AS created;

CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

SET ROLE regress_res;
SELECT cardinality(tmebox.create_module('res', 'kit', $$
#include <stdint.h>
#include <stdbool.h>
#include <tmebox.h>

int32_t  div32(int32_t a, int32_t b) { return a / b; }
int32_t  mod32(int32_t a, int32_t b) { return a % b; }
int64_t  div64(int64_t a, int64_t b) { return a / b; }
int64_t  mod64(int64_t a, int64_t b) { return a % b; }
int32_t  dec(int32_t x) { return x - 1; }
int32_t  ident(int32_t x) { return x; }
tmebox_buf *maybe(const tmebox_buf *s, bool s_isnull)
{
	return s_isnull ? 0 : tmebox_buf_from(s->data, s->len);
}
tmebox_buf *with_nul(void) { return tmebox_buf_from("a\0b", 3); }
$$)) AS nexports;

---------------------------------------------------------------------------
-- 1. function kinds
---------------------------------------------------------------------------
-- a window function would get a WindowObject it does not read (it
-- returned 0 on every row): refused, with or without check_function_bodies
CREATE FUNCTION win(int4) RETURNS int4 WINDOW LANGUAGE tmebox AS 'kit.ident';
SET check_function_bodies = off;
CREATE FUNCTION win(int4) RETURNS int4 WINDOW LANGUAGE tmebox AS 'kit.ident';
-- the rest of the shape is checked without the body too
CREATE FUNCTION sets(int4) RETURNS SETOF text[] LANGUAGE tmebox AS 'kit.ident';
CREATE FUNCTION vari(VARIADIC int4[]) RETURNS int4 LANGUAGE tmebox AS 'kit.ident';
RESET check_function_bodies;
-- trigger functions, pseudo-types
CREATE FUNCTION trg(int4) RETURNS trigger LANGUAGE tmebox AS $$ return 0; $$;
CREATE FUNCTION etrg() RETURNS event_trigger LANGUAGE tmebox AS $$ return 0; $$;
CREATE FUNCTION poly(anyelement) RETURNS int4 LANGUAGE tmebox AS 'kit.ident';
CREATE FUNCTION intern(internal) RETURNS int4 LANGUAGE tmebox AS 'kit.ident';
CREATE FUNCTION rec(int4) RETURNS record LANGUAGE tmebox AS 'kit.ident';
SELECT count(*) FROM pg_proc WHERE proname IN ('win', 'sets', 'tab', 'outp', 'vari', 'trg', 'etrg', 'poly', 'intern', 'rec');
SELECT q AS statement, pg_temp.sqlstate_of(q) AS sqlstate FROM (VALUES
	('CREATE FUNCTION win(int4) RETURNS int4 WINDOW LANGUAGE tmebox AS ''kit.ident'''),
	('CREATE FUNCTION sets(int4) RETURNS SETOF text[] LANGUAGE tmebox AS ''kit.ident'''),
	('CREATE FUNCTION vari(VARIADIC int4[]) RETURNS int4 LANGUAGE tmebox AS ''kit.ident'''),
	('CREATE FUNCTION trg() RETURNS trigger LANGUAGE tmebox AS ''kit.ident'''),
	('CREATE FUNCTION poly(anyelement) RETURNS int4 LANGUAGE tmebox AS ''kit.ident''')
) AS t(q);

-- procedures run like void functions
CREATE PROCEDURE proc(x int4) LANGUAGE tmebox AS $$
	tmebox_notice("procedure called with %d (NULL: %d)", x, (int) x_isnull);
$$;
CALL proc(7);
CALL proc(NULL);

-- a row the validator never saw (an older tmebox, pg_proc written
-- directly) is refused when called, not run
CREATE FUNCTION ident(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'kit.ident';
SELECT ident(5);
RESET ROLE;
UPDATE pg_proc SET prokind = 'w' WHERE proname = 'ident';
SET ROLE regress_res;
SELECT ident(x) OVER () FROM generate_series(1, 3) AS x;
RESET ROLE;
UPDATE pg_proc SET prokind = 'f', proretset = true WHERE proname = 'ident';
SET ROLE regress_res;
SELECT * FROM ident(5);
DROP FUNCTION ident(int4);

-- claims made to the planner are the declarer's; a PARALLEL SAFE
-- function runs in parallel workers, in sandboxes of their own
CREATE FUNCTION dec_par(int4) RETURNS int4 LANGUAGE tmebox IMMUTABLE STRICT PARALLEL SAFE AS 'kit.dec';
CREATE TABLE res_rows AS SELECT i FROM generate_series(1, 20000) AS i;
RESET ROLE;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET ROLE regress_res;
EXPLAIN (COSTS OFF) SELECT sum(dec_par(i)) FROM res_rows;
SELECT sum(dec_par(i)) FROM res_rows;
RESET ROLE;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SET ROLE regress_res;

---------------------------------------------------------------------------
-- 2. domains
---------------------------------------------------------------------------
CREATE DOMAIN posint AS int4 CHECK (VALUE > 0);
CREATE DOMAIN nntext AS text NOT NULL;
CREATE DOMAIN blob AS bytea;
CREATE FUNCTION dec_pos(int4) RETURNS posint LANGUAGE tmebox IMMUTABLE STRICT AS 'kit.dec';
CREATE FUNCTION dec_body(x posint) RETURNS posint LANGUAGE tmebox IMMUTABLE STRICT AS $$ return x - 1; $$;
CREATE FUNCTION maybe_nn(text) RETURNS nntext LANGUAGE tmebox IMMUTABLE AS 'kit.maybe';
CREATE FUNCTION with_nul() RETURNS blob LANGUAGE tmebox IMMUTABLE AS 'kit.with_nul';
SELECT dec_pos(5), dec_body(5), maybe_nn('x'), with_nul();
-- a result outside the domain is an error, as in SQL and PL/pgSQL
SELECT dec_pos(1);
SELECT dec_body(1);
SELECT maybe_nn(NULL);
-- an argument of the domain type is checked by the caller's cast
SELECT dec_body(0);
SELECT sum(dec_pos(i)) FROM generate_series(2, 10000) AS i;
SELECT sum(dec_pos(i)) FROM generate_series(1, 10000) AS i;
-- constraints added later are honoured by functions already bound
ALTER DOMAIN posint ADD CONSTRAINT below_100 CHECK (VALUE < 100);
SELECT dec_pos(50);
SELECT dec_pos(500);
-- a domain CHECK that calls the function itself: PostgreSQL's recursion
-- limit (54001), not a crash of the backend on its own stack's end
CREATE DOMAIN selfdom AS int4;
CREATE FUNCTION self_check(x int4) RETURNS selfdom LANGUAGE tmebox STRICT AS $$ return x; $$;
ALTER DOMAIN selfdom ADD CONSTRAINT c CHECK (self_check(VALUE) IS NOT NULL) NOT VALID;
\set VERBOSITY terse
SELECT self_check(1);
\set VERBOSITY default
SELECT dec_pos(2) AS backend_alive;
DROP DOMAIN selfdom CASCADE;
-- a CHECK that calls the function again through PL/pgSQL (allowed: no
-- tmebox statement runs then) while the outer check holds a 40 MB value:
-- the inner check gets a state of its own (red team s11 redE F2: it reset
-- the shared one under the outer check, which read freed memory)
CREATE FUNCTION again(v text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	IF v = 'AAAA' THEN
		PERFORM twice(1);
		PERFORM count(*) FROM twice_set(1);
	END IF;
	RETURN 'zz';
END $$;
CREATE DOMAIN twicedom AS text CHECK (
	CASE WHEN VALUE = 'AAAA' THEN length(repeat(VALUE, 10000000) || again(VALUE)) > 0 ELSE true END);
CREATE FUNCTION twice(n int4) RETURNS twicedom LANGUAGE tmebox STRICT AS $$
	return tmebox_buf_from_cstr(n == 2 ? "AAAA" : "b");
$$;
CREATE FUNCTION twice_set(n int4) RETURNS SETOF twicedom LANGUAGE tmebox STRICT AS $$
	tmebox_array_buf *r = tmebox_array_buf_new(2);
	r->v[0] = tmebox_buf_from_cstr("b");
	r->v[1] = tmebox_buf_from_cstr(n == 2 ? "AAAA" : "b");
	return r;
$$;
SELECT twice(1), twice(2);
SELECT twice_set(2);
SELECT dec_pos(3) AS backend_alive;
DROP DOMAIN twicedom CASCADE;
DROP FUNCTION again(text);
SELECT q AS statement, pg_temp.sqlstate_of(q) AS sqlstate FROM (VALUES
	('SELECT dec_pos(1)'),
	('SELECT dec_body(1)'),
	('SELECT maybe_nn(NULL)')
) AS t(q);

---------------------------------------------------------------------------
-- 3. integer division: overflow (22003) is not division by zero (22012)
---------------------------------------------------------------------------
CREATE FUNCTION div32(int4, int4) RETURNS int4 LANGUAGE tmebox IMMUTABLE STRICT AS 'kit.div32';
CREATE FUNCTION mod32(int4, int4) RETURNS int4 LANGUAGE tmebox IMMUTABLE STRICT AS 'kit.mod32';
CREATE FUNCTION div64(int8, int8) RETURNS int8 LANGUAGE tmebox IMMUTABLE STRICT AS 'kit.div64';
CREATE FUNCTION mod64(int8, int8) RETURNS int8 LANGUAGE tmebox IMMUTABLE STRICT AS 'kit.mod64';
SELECT div32(-7, 2), mod32(-7, 2), div64(-7, 2), mod64(-7, 2), div32(-2147483648, 1);
SELECT div32(-2147483648, -1);
SELECT div32(-2147483648, 0);
SELECT mod32(-2147483648, -1);
SELECT div64(-9223372036854775808, -1);
SELECT mod64(-9223372036854775808, -1);
SELECT div64(5, 0);
SELECT q AS statement, pg_temp.sqlstate_of(q) AS sqlstate FROM (VALUES
	('SELECT div32(-2147483648, -1)'),
	('SELECT mod32(-2147483648, -1)'),
	('SELECT div64(-9223372036854775808, -1)'),
	('SELECT mod64(-9223372036854775808, -1)'),
	('SELECT div32(-2147483648, 0)'),
	('SELECT div32(1, 0)'),
	('SELECT mod64(1, 0)'),
	('SELECT (-2147483648)::int4 / -1'),
	('SELECT 1 / 0')
) AS t(q);
-- the sandbox was reset and works
SELECT div32(84, 2);
RESET ROLE;

---------------------------------------------------------------------------
-- 4. tmebox.tenant: a function's own SET clause chooses its tenant; a
--    session setting chooses the tenant of DO blocks
---------------------------------------------------------------------------
CREATE ROLE regress_res_two;
GRANT USAGE ON LANGUAGE tmebox TO regress_res_two;
GRANT CREATE ON SCHEMA public TO regress_res_two;
SELECT tmebox.create_tenant('res_a', owner => 'regress_res_two') > 0 AS created;
SELECT tmebox.create_tenant('res_b', owner => 'regress_res_two') > 0 AS created;
SET ROLE regress_res_two;
CREATE FUNCTION which() RETURNS int4 LANGUAGE tmebox AS $$ return 1; $$;
SET tmebox.tenant = 'res_a';
CREATE FUNCTION which() RETURNS int4 LANGUAGE tmebox AS $$ return 1; $$;
CREATE FUNCTION which() RETURNS int4 LANGUAGE tmebox SET tmebox.tenant = 'res_b' AS $$
	static int32_t calls;
	return ++calls;
$$;
SELECT which(), which();
DO $$ tmebox_notice("a DO block runs in the session's tenant"); $$ LANGUAGE tmebox;
RESET tmebox.tenant;
DO $$ tmebox_notice("unreachable"); $$ LANGUAGE tmebox;
RESET ROLE;
SELECT tenant, calls FROM tmebox.instances WHERE tenant IN ('res_a', 'res_b') ORDER BY tenant;

---------------------------------------------------------------------------
-- 5. printf is a NOTICE: client_min_messages silences it
---------------------------------------------------------------------------
SET ROLE regress_res;
CREATE FUNCTION chatty(n int4) RETURNS int4 LANGUAGE tmebox STRICT AS $$
	for (int32_t i = 0; i < n; i++)
		printf("line %d\n", (int) i);
	fprintf(stderr, "to stderr\n");
	tmebox_log(TMEBOX_LOG_INFO, "tmebox_log at INFO");
	return n;
$$;
SELECT chatty(2);
SET client_min_messages = warning;
SELECT chatty(1000);
RESET client_min_messages;
RESET ROLE;

DROP TABLE res_rows;
DROP FUNCTION dec_par(int4), dec_pos(int4), dec_body(posint), maybe_nn(text), with_nul(),
	div32(int4, int4), mod32(int4, int4), div64(int8, int8), mod64(int8, int8),
	which(), chatty(int4);
DROP PROCEDURE proc(int4);
DROP DOMAIN posint, nntext, blob;
SELECT tmebox.drop_module('res', 'kit');
SELECT tmebox.drop_tenant('res'), tmebox.drop_tenant('res_a'), tmebox.drop_tenant('res_b');
DROP OWNED BY regress_res, regress_res_two;
DROP ROLE regress_res, regress_res_two;
