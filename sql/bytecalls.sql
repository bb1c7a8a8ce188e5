-- bytecalls: functions that take and return byte strings (text, bytea,
-- varchar, json) beside scalars take a short path (pl_bytes.c, the
-- runtime's rt_call_bytes): arguments read in place, the result checked as
-- in the general call.  Same results, NULLs and errors as the general
-- path; an argument that needs a copy (compressed, or stored out of line)
-- goes through the general path, which makes the copy in tenant memory.
CREATE ROLE regress_bytecalls;
SELECT tmebox.create_tenant('bytecalls', owner => 'regress_bytecalls') > 0 AS created;
SELECT tmebox.create_module('bytecalls', 'm', $$
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tmebox.h>

tmebox_buf *rev(const tmebox_buf *s)
{
	tmebox_buf *r = tmebox_buf_new(s->len);
	for (uint32_t i = 0; i < s->len; i++)
		r->data[i] = s->data[s->len - 1 - i];
	return r;
}

/* not STRICT: the NULL flags follow the arguments */
tmebox_buf *tag(int32_t n, const tmebox_buf *s, double f, bool n_null, bool s_null, bool f_null)
{
	char out[96];
	int len = snprintf(out, sizeof out, "%d|%s|%g|%d%d%d", n,
					   s ? (const char *) s->data : "(null)", f, n_null, s_null, f_null);
	return tmebox_buf_from(out, (uint32_t) len);
}

int64_t sum_bytes(const tmebox_buf *s)
{
	int64_t n = 0;
	for (uint32_t i = 0; i < s->len; i++)
		n += (unsigned char) s->data[i];
	return n;
}

/* the input itself as the result */
tmebox_buf *same(tmebox_buf *s) { return s; }

tmebox_buf *with_nul(const tmebox_buf *s)
{
	tmebox_buf *r = tmebox_buf_from(s->data, s->len);
	if (r->len > 1)
		r->data[1] = 0;
	return r;
}

tmebox_buf *bad_utf8(const tmebox_buf *s)
{
	tmebox_buf *r = tmebox_buf_from(s->data, s->len);
	if (r->len > 0)
		r->data[0] = (char) 0xC3;
	return r;
}

tmebox_buf *none(const tmebox_buf *s) { return NULL; }

void sink(const tmebox_buf *s) { }
$$) IS NOT NULL AS created;
SET check_function_bodies = off;
CREATE FUNCTION bc_rev(text) RETURNS text LANGUAGE tmebox STRICT AS 'm.rev';
CREATE FUNCTION bc_rev_bytea(bytea) RETURNS bytea LANGUAGE tmebox STRICT AS 'm.rev';
CREATE FUNCTION bc_rev_varchar(varchar) RETURNS varchar LANGUAGE tmebox STRICT AS 'm.rev';
CREATE FUNCTION bc_rev_json(json) RETURNS text LANGUAGE tmebox STRICT AS 'm.rev';
CREATE FUNCTION bc_tag(int4, text, float8) RETURNS text LANGUAGE tmebox AS 'm.tag';
CREATE FUNCTION bc_sum(text) RETURNS int8 LANGUAGE tmebox STRICT AS 'm.sum_bytes';
CREATE FUNCTION bc_same(text) RETURNS text LANGUAGE tmebox STRICT AS 'm.same';
CREATE FUNCTION bc_with_nul(text) RETURNS text LANGUAGE tmebox STRICT AS 'm.with_nul';
CREATE FUNCTION bc_with_nul_bytea(bytea) RETURNS bytea LANGUAGE tmebox STRICT AS 'm.with_nul';
CREATE FUNCTION bc_bad_utf8(text) RETURNS text LANGUAGE tmebox STRICT AS 'm.bad_utf8';
CREATE FUNCTION bc_none(text) RETURNS text LANGUAGE tmebox STRICT AS 'm.none';
CREATE FUNCTION bc_sink(text) RETURNS void LANGUAGE tmebox STRICT AS 'm.sink';
DO $$
DECLARE f regprocedure;
BEGIN
	FOR f IN SELECT oid FROM pg_proc WHERE proname LIKE 'bc\_%' LOOP
		EXECUTE format('ALTER FUNCTION %s OWNER TO regress_bytecalls', f);
	END LOOP;
END $$;
RESET check_function_bodies;

-- byte strings of every kind in and out
SELECT bc_rev('hello'), bc_rev(''), bc_rev_bytea('\x00010203'::bytea),
       bc_rev_varchar('abc'::varchar(5)), bc_rev_json('{"a":1}');
SELECT bc_same('the argument itself'), bc_none('x') IS NULL AS null_result;
SELECT bc_sink('x');
-- scalars beside a byte string, NULLs of each (not STRICT)
SELECT bc_tag(7, 'seven', 2.5), bc_tag(NULL, 'x', 1), bc_tag(1, NULL, 1),
       bc_tag(1, 'x', NULL), bc_tag(NULL, NULL, NULL);
-- STRICT: a NULL argument never calls
SELECT bc_rev(NULL) IS NULL AS strict_null;

-- results are checked as in the general call (22021)
\set VERBOSITY sqlstate
SELECT bc_with_nul('abc');
SELECT bc_bad_utf8('abc');
SELECT bc_rev('héllo');			-- the bytes of é reversed
\set VERBOSITY default
SELECT bc_with_nul('abc');
SELECT bc_bad_utf8('abc');
-- bytea may hold NUL bytes
SELECT bc_with_nul_bytea('\x616263'::bytea);
-- and the function works again
SELECT bc_rev('again');

-- arguments that need a copy take the general path: compressed, stored
-- out of line, both; and one past the data stack's 64 kB
CREATE TABLE bc_vals (k text, t text);
ALTER TABLE bc_vals ALTER COLUMN t SET STORAGE EXTERNAL;
INSERT INTO bc_vals VALUES ('external', repeat('ab', 20000)), ('small', 'xyz');
CREATE TABLE bc_comp (k text, t text);
INSERT INTO bc_comp VALUES ('compressed', repeat('ab', 20000)),
	('compressed, external', repeat('cd', 600000));
SELECT k, octet_length(t), pg_column_size(t) < octet_length(t) AS compressed,
       bc_sum(t), bc_rev(t) = reverse(t) AS rev_ok
  FROM (SELECT * FROM bc_vals UNION ALL SELECT * FROM bc_comp) v ORDER BY k;
SELECT bc_rev(repeat('0123456789', 7000)) = reverse(repeat('0123456789', 7000)) AS big_ok;
-- many rows through the short path
SELECT count(*) FILTER (WHERE bc_rev(md5(i::text)) = reverse(md5(i::text))) AS ok
  FROM generate_series(1, 2000) i;

DROP TABLE bc_vals, bc_comp;
DO $$
DECLARE f regprocedure;
BEGIN
	FOR f IN SELECT oid FROM pg_proc WHERE proname LIKE 'bc\_%' LOOP
		EXECUTE format('DROP FUNCTION %s', f);
	END LOOP;
END $$;
SELECT tmebox.drop_module('bytecalls', 'm');
SELECT tmebox.drop_tenant('bytecalls');
DROP ROLE regress_bytecalls;
