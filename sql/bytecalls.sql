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
#include <stdlib.h>
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

/* s with its byte at `at` set to b */
tmebox_buf *poke(const tmebox_buf *s, int32_t at, int32_t b)
{
	tmebox_buf *r = tmebox_buf_from(s->data, s->len);
	if (at >= 0 && (uint32_t) at < r->len)
		r->data[at] = (char) b;
	return r;
}

/* 2000 blocks of 3 900 bytes made on the first call; each call returns
 * one and allocates nothing */
static tmebox_buf *held[2000];
tmebox_buf *held_nth(int32_t i)
{
	if (held[0] == NULL)
		for (int k = 0; k < 2000; k++)
		{
			held[k] = tmebox_buf_new(3900);
			memset(held[k]->data, 'a' + k % 26, 3900);
		}
	return held[i];
}

/* a result that is no heap block: static data, 16-byte aligned */
tmebox_buf *not_a_block(int32_t x)
{
	static _Alignas(16) struct { uint32_t len; char data[4]; } s = {3, "abc"};
	return (tmebox_buf *) &s;
}

/* a result off bytes inside a (zeroed) heap block */
tmebox_buf *inside_block(int32_t off)
{
	char *p = calloc(1, 64);
	tmebox_buf *r = (tmebox_buf *) (p + off);
	r->len = 2;
	memcpy(r->data, "ok", 3);
	return r;
}
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
CREATE FUNCTION bc_poke(text, int4, int4) RETURNS text LANGUAGE tmebox STRICT AS 'm.poke';
CREATE FUNCTION bc_held_nth(int4) RETURNS text LANGUAGE tmebox STRICT AS 'm.held_nth';
CREATE FUNCTION bc_not_a_block(int4) RETURNS text LANGUAGE tmebox STRICT AS 'm.not_a_block';
CREATE FUNCTION bc_inside_block(int4) RETURNS text LANGUAGE tmebox STRICT AS 'm.inside_block';
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
-- plain ASCII needs no encoding check; a NUL or a non-ASCII byte
-- anywhere still fails it (shorter than 8 bytes, 8, longer; the byte in
-- the first eight, the middle, the last ones)
CREATE FUNCTION bc_try(q text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
	EXECUTE q;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN regexp_replace(SQLERRM, '0x[0-9a-f]+', '0x?', 'g');
END $f$;
SELECT n, at, bc_try(format('SELECT bc_poke(repeat(''x'', %s), %s, 0)', n, at)) AS nul,
       bc_try(format('SELECT bc_poke(repeat(''x'', %s), %s, 200)', n, at)) AS high
  FROM (VALUES (5, 4), (8, 7), (13, 3), (13, 12), (16, 9), (21, 20)) v(n, at);
SELECT bc_poke(repeat('x', 21), 20, 121) AS ascii;
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

-- a small result goes back to the sandbox's allocator without a second
-- entry: the host writes it into the libc's pending-free slot, and the
-- sandbox's next malloc, free or realloc frees it (ABI.md).  A slot still
-- full (a call that allocated nothing since) means a free now: all 2000
-- blocks come back, and the heap's free top is trimmed again.
SELECT count(*) FILTER (WHERE bc_held_nth(i) = repeat(chr(97 + i % 26), 3900)) AS ok
  FROM generate_series(0, 1999) i;
SELECT committed_bytes < 4 * 1024 * 1024 AS trimmed
  FROM tmebox.instances WHERE tenant = 'bytecalls';
-- what is no block is freed at once: static data, a misaligned pointer,
-- an aligned pointer inside a block (the host looks at the chunk header
-- as the sandbox's free would, fuzz_call's oracle); the sandbox's free
-- refuses it in that call, and the next call is not the one that fails
SELECT bc_try('SELECT bc_not_a_block(1)');
SELECT bc_try('SELECT bc_inside_block(4)');
SELECT bc_try('SELECT bc_inside_block(16)');
SELECT bc_try('SELECT bc_rev(''next'')');
SELECT bc_rev('and again');
DROP FUNCTION bc_try(text);

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
