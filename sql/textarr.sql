-- textarr: arrays of byte strings.  text[], varchar[] and bytea[]
-- arguments and results travel as tmebox_array_buf (an array of
-- tmebox_buf pointers, a NULL element a NULL pointer); RETURNS SETOF text,
-- varchar, bytea (and TABLE with one such column) return one, a row per
-- element.  Every element of a result is checked like a text result (no
-- NUL, valid encoding: 22021); the array lives in the sandbox, so the
-- tenant's memory limit bounds it (53200); the host refuses a result whose
-- elements together exceed the sandbox's memory (aliases counted each time).
\pset null '(null)'

CREATE ROLE regress_textarr;
GRANT USAGE ON LANGUAGE tmebox TO regress_textarr;
GRANT USAGE ON SCHEMA tmebox TO regress_textarr;
GRANT CREATE ON SCHEMA public TO regress_textarr;
SELECT tmebox.create_tenant('textarr', owner => 'regress_textarr', memory_limit => '16MB') > 0 AS created;

CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

SET ROLE regress_textarr;
SELECT cardinality(tmebox.create_module('textarr', 'ta', $$
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <tmebox.h>

/* the elements joined with ',', NULL ones as "(null)"; each input element
 * must end with a NUL (the host adds it) */
tmebox_buf *join(const tmebox_array_buf *a)
{
	uint32_t len = 0, k = 0;
	for (uint32_t i = 0; i < a->n; i++)
	{
		if (a->v[i] != NULL && a->v[i]->data[a->v[i]->len] != '\0')
			tmebox_error("element %u is not NUL-terminated", i);
		len += (a->v[i] ? a->v[i]->len : 6) + (i > 0);
	}
	tmebox_buf *r = tmebox_buf_new(len);
	for (uint32_t i = 0; i < a->n; i++)
	{
		if (i > 0)
			r->data[k++] = ',';
		memcpy(r->data + k, a->v[i] ? a->v[i]->data : "(null)", a->v[i] ? a->v[i]->len : 6);
		k += a->v[i] ? a->v[i]->len : 6;
	}
	return r;
}

/* a reversed copy, NULL elements kept */
tmebox_array_buf *rev(const tmebox_array_buf *a)
{
	tmebox_array_buf *r = tmebox_array_buf_new(a->n);
	for (uint32_t i = 0; i < a->n; i++)
	{
		const tmebox_buf *e = a->v[a->n - 1 - i];
		r->v[i] = e ? tmebox_buf_from(e->data, e->len) : NULL;
	}
	return r;
}

int32_t nulls(const tmebox_array_buf *a)
{
	int32_t k = 0;
	for (uint32_t i = 0; i < a->n; i++)
		k += a->v[i] == NULL;
	return k;
}

/* s split at spaces (empty words kept) */
tmebox_array_buf *split(const tmebox_buf *s)
{
	uint32_t n = 1, k = 0, start = 0;
	for (uint32_t i = 0; i < s->len; i++)
		n += s->data[i] == ' ';
	tmebox_array_buf *r = tmebox_array_buf_new(n);
	for (uint32_t i = 0; i <= s->len; i++)
		if (i == s->len || s->data[i] == ' ')
		{
			r->v[k++] = tmebox_buf_from(s->data + start, i - start);
			start = i + 1;
		}
	return r;
}

/* the same buffer n times: aliases (freed once) */
tmebox_array_buf *alias(const tmebox_buf *s, int32_t n)
{
	tmebox_array_buf *r = tmebox_array_buf_new((uint32_t) n);
	tmebox_buf *b = tmebox_buf_from(s->data, s->len);
	for (int32_t i = 0; i < n; i++)
		r->v[i] = b;
	return r;
}

/* n distinct elements of size bytes each */
tmebox_array_buf *big(int32_t n, int32_t size)
{
	tmebox_array_buf *r = tmebox_array_buf_new((uint32_t) n);
	for (int32_t i = 0; i < n; i++)
	{
		r->v[i] = tmebox_buf_new((uint32_t) size);
		memset(r->v[i]->data, 'x', (size_t) size);
	}
	return r;
}

/* {"ok", <invalid UTF-8>} */
tmebox_array_buf *bad_utf8(void)
{
	tmebox_array_buf *r = tmebox_array_buf_new(2);
	r->v[0] = tmebox_buf_from_cstr("ok");
	r->v[1] = tmebox_buf_from("\xff\xfe", 2);
	return r;
}

/* {"a\0b"}: a NUL inside a text element */
tmebox_array_buf *with_nul(void)
{
	tmebox_array_buf *r = tmebox_array_buf_new(1);
	r->v[0] = tmebox_buf_from("a\0b", 3);
	return r;
}
$$)) AS nexports;

---------------------------------------------------------------------------
-- 1. text[] in and out
---------------------------------------------------------------------------
CREATE FUNCTION join_t(text[]) RETURNS text LANGUAGE tmebox IMMUTABLE STRICT AS 'ta.join';
CREATE FUNCTION rev_t(text[]) RETURNS text[] LANGUAGE tmebox IMMUTABLE STRICT AS 'ta.rev';
CREATE FUNCTION nulls_t(text[]) RETURNS int4 LANGUAGE tmebox IMMUTABLE STRICT AS 'ta.nulls';
CREATE FUNCTION split_t(text) RETURNS text[] LANGUAGE tmebox IMMUTABLE STRICT AS 'ta.split';
SELECT join_t(ARRAY['a', 'bc', '', 'def']);
SELECT rev_t(ARRAY['a', 'bc', '', 'def']);
-- empty array, NULL array (STRICT), NULL elements
SELECT join_t('{}'), rev_t('{}'), cardinality(rev_t('{}'));
SELECT rev_t(NULL) AS strict_null;
SELECT join_t(ARRAY['x', NULL, 'z']), rev_t(ARRAY[NULL, 'y', NULL]), nulls_t(ARRAY[NULL, 'y', NULL]);
SELECT rev_t(ARRAY[NULL]::text[]) AS only_null;
-- multibyte characters
SELECT rev_t(ARRAY['grüße', '日本語', 'ñ']), split_t('façade 東京 x');
-- a lower bound other than 1 is not kept (arrays come back 1-based)
SELECT rev_t('[0:1]={a,b}'::text[]);
-- more than the data stack takes: 1000 elements, and 20000
SELECT cardinality(r), r[1], r[1000], r = ARRAY(SELECT i::text FROM generate_series(1000, 1, -1) i) AS reversed
FROM rev_t(ARRAY(SELECT i::text FROM generate_series(1, 1000) i)) AS r;
SELECT cardinality(r), r[20000] FROM rev_t(ARRAY(SELECT repeat('w', i % 50) || i FROM generate_series(1, 20000) i)) AS r;
-- two dimensions are refused, as for the other arrays, unless the function
-- declares tmebox.array_nulls (arrays.sql)
SELECT join_t('{{a,b},{c,d}}');

-- a body, not STRICT: a NULL array is a NULL pointer with its flag
CREATE FUNCTION count_t(a text[]) RETURNS int4 LANGUAGE tmebox AS $$
	if (a_isnull)
		return -1;
	return (int32_t) a->n;
$$;
SELECT count_t(NULL), count_t('{}'), count_t(ARRAY['a', NULL]);
CREATE FUNCTION upper_t(a text[]) RETURNS text[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_buf *r = tmebox_array_buf_new(a->n);
	for (uint32_t i = 0; i < a->n; i++)
	{
		if (a->v[i] == NULL)
			continue;
		r->v[i] = tmebox_buf_from(a->v[i]->data, a->v[i]->len);
		for (uint32_t j = 0; j < r->v[i]->len; j++)
			if (r->v[i]->data[j] >= 'a' && r->v[i]->data[j] <= 'z')
				r->v[i]->data[j] -= 32;
	}
	return r;
$$;
SELECT upper_t(ARRAY['abc', NULL, 'déf']);

---------------------------------------------------------------------------
-- 2. varchar[] and bytea[]
---------------------------------------------------------------------------
CREATE FUNCTION rev_v(varchar[]) RETURNS varchar[] LANGUAGE tmebox IMMUTABLE STRICT AS 'ta.rev';
CREATE FUNCTION rev_b(bytea[]) RETURNS bytea[] LANGUAGE tmebox IMMUTABLE STRICT AS 'ta.rev';
SELECT rev_v(ARRAY['one', 'two']::varchar[]), pg_typeof(rev_v(ARRAY['one']::varchar[]));
-- bytea elements may hold NUL bytes and invalid UTF-8
SELECT rev_b(ARRAY['\x00ff'::bytea, NULL, '\x'::bytea, '\xdeadbeef'::bytea]);
SELECT b = rev_b(rev_b(b)) AS round_trip
FROM (SELECT ARRAY(SELECT decode(lpad(to_hex(i), 8, '0') || '00', 'hex') FROM generate_series(1, 500) i) AS b) AS t;
-- a bytea element of 1 MB
SELECT length((rev_b(ARRAY[decode(repeat('00', 1000000), 'hex')]))[1]);

---------------------------------------------------------------------------
-- 3. RETURNS SETOF text, varchar, bytea and TABLE (w text)
---------------------------------------------------------------------------
CREATE FUNCTION words(text) RETURNS SETOF text LANGUAGE tmebox IMMUTABLE STRICT AS 'ta.split';
CREATE FUNCTION vwords(text) RETURNS SETOF varchar LANGUAGE tmebox IMMUTABLE STRICT AS 'ta.split';
CREATE FUNCTION bwords(text) RETURNS TABLE (w bytea) LANGUAGE tmebox IMMUTABLE STRICT AS 'ta.split';
SELECT * FROM words('the quick  brown 狐');
SELECT vwords('a b'), pg_typeof(vwords('a'));
SELECT w FROM bwords('x yz');
SELECT count(*) FROM words(repeat('a ', 999) || 'a');
-- a NULL element is a NULL row; a NULL array no rows
CREATE FUNCTION holes() RETURNS SETOF text LANGUAGE tmebox AS $$
	tmebox_array_buf *r = tmebox_array_buf_new(3);
	r->v[1] = tmebox_buf_from_cstr("middle");
	return r;
$$;
CREATE FUNCTION no_words() RETURNS SETOF text LANGUAGE tmebox AS $$ return NULL; $$;
SELECT * FROM holes();
SELECT count(*) FROM no_words();
-- a domain over text: each row checked
CREATE DOMAIN short_text AS text CHECK (length(VALUE) <= 3);
CREATE FUNCTION short_words(text) RETURNS SETOF short_text LANGUAGE tmebox IMMUTABLE STRICT AS 'ta.split';
SELECT * FROM short_words('a bb ccc');
SELECT * FROM short_words('a bb cccc');

---------------------------------------------------------------------------
-- 4. invalid results and memory
---------------------------------------------------------------------------
CREATE FUNCTION bad_utf8() RETURNS text[] LANGUAGE tmebox AS 'ta.bad_utf8';
CREATE FUNCTION bad_words() RETURNS SETOF text LANGUAGE tmebox AS 'ta.bad_utf8';
CREATE FUNCTION bad_bytes() RETURNS bytea[] LANGUAGE tmebox AS 'ta.bad_utf8';
CREATE FUNCTION with_nul() RETURNS text[] LANGUAGE tmebox AS 'ta.with_nul';
CREATE FUNCTION alias_t(text, int4) RETURNS text[] LANGUAGE tmebox STRICT AS 'ta.alias';
CREATE FUNCTION big_t(int4, int4) RETURNS text[] LANGUAGE tmebox STRICT AS 'ta.big';
SELECT bad_utf8();
SELECT * FROM bad_words();
SELECT bad_bytes() AS bytea_any_bytes;
SELECT with_nul();
SELECT pg_temp.sqlstate_of('SELECT bad_utf8()') AS bad_utf8,
	pg_temp.sqlstate_of('SELECT * FROM bad_words()') AS bad_words,
	pg_temp.sqlstate_of('SELECT with_nul()') AS with_nul;
-- aliases: one buffer, several elements
SELECT alias_t('same', 3);
SELECT cardinality(alias_t(repeat('z', 1000), 1000));
-- aliases whose copy would exceed the sandbox's memory: refused
\set VERBOSITY terse
SELECT pg_temp.sqlstate_of('SELECT alias_t(repeat(''z'', 1000000), 100)') AS alias_bomb;
-- a result larger than the tenant's memory (16MB): out of memory
SELECT cardinality(big_t(4, 1000000));
SELECT big_t(40, 1000000);
\set VERBOSITY default
SELECT pg_temp.sqlstate_of('SELECT big_t(40, 1000000)') AS too_big;
SELECT join_t(ARRAY['works', 'again']) AS after_errors;
RESET ROLE;

-- a set of byte strings keeps the 1 GB cap of every result copy: 50
-- million NULL elements are 400 MB of pointers in the view but would be
-- 1.2 GB on the host (red team s6 F1); refused before anything is copied
SELECT tmebox.alter_tenant('textarr', memory_limit => '1GB');
SET ROLE regress_textarr;
CREATE FUNCTION many_nulls(n int4) RETURNS SETOF text LANGUAGE tmebox STRICT AS $$
	return tmebox_array_buf_new((uint32_t) n);
$$;
SELECT count(*) AS rows FROM many_nulls(1000);
SELECT pg_temp.sqlstate_of('SELECT count(*) FROM many_nulls(50000000)') AS host_copy_cap;
SELECT count(*) AS rows_after FROM many_nulls(3);
RESET ROLE;

DROP OWNED BY regress_textarr CASCADE;
SELECT tmebox.drop_module('textarr', 'ta');
SELECT tmebox.drop_tenant('textarr');
DROP ROLE regress_textarr;
