-- jsonb: a jsonb argument in PostgreSQL's binary form (const tmebox_jsonb *)
-- read without a parse by tmebox_json.h's reader: every JSON type, nested
-- containers, key lookup (binary search), elements by index, iteration,
-- numbers as numeric_out text, int64 and double, missing keys, empty
-- containers, unicode keys, large documents, toasted and compressed
-- values; the same SQL argument declared const tmebox_buf * still
-- arrives as text; a tmebox_jsonb result is refused; malformed documents
-- (built by the function itself) raise "malformed jsonb" and are never
-- read outside their bytes.
\pset null '(null)'

CREATE ROLE regress_jsonb;
GRANT USAGE ON LANGUAGE tmebox TO regress_jsonb;
GRANT USAGE ON SCHEMA tmebox TO regress_jsonb;
GRANT CREATE ON SCHEMA public TO regress_jsonb;
SELECT tmebox.create_tenant('jsonb', owner => 'regress_jsonb') > 0 AS created;

CREATE FUNCTION pg_temp.error_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLERRM;
END
$$;

SET ROLE regress_jsonb;

SELECT cardinality(tmebox.create_module('jsonb', 'jr', $c$
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <tmebox.h>

/* a growing text result */
typedef struct out
{
	tmebox_buf *b;
	uint32_t	cap;
} out;

static void
put(out *o, const char *s, uint32_t n)
{
	if (o->b == NULL || o->b->len + n + 1 > o->cap)
	{
		uint32_t	len = o->b ? o->b->len : 0;

		o->cap = (len + n + 1) * 2;
		o->b = realloc(o->b, sizeof(tmebox_buf) + o->cap);
		o->b->len = len;
	}
	memcpy(o->b->data + o->b->len, s, n);
	o->b->len += n;
	o->b->data[o->b->len] = '\0';
}

static void
puts_(out *o, const char *s)
{
	put(o, s, (uint32_t) strlen(s));
}

/* a string as jsonb_out writes it (escape_json) */
static void
dump_str(out *o, const char *s, uint32_t n)
{
	put(o, "\"", 1);
	for (uint32_t i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];
		char		esc[8];

		switch (c)
		{
			case '"': puts_(o, "\\\""); break;
			case '\\': puts_(o, "\\\\"); break;
			case '\b': puts_(o, "\\b"); break;
			case '\f': puts_(o, "\\f"); break;
			case '\n': puts_(o, "\\n"); break;
			case '\r': puts_(o, "\\r"); break;
			case '\t': puts_(o, "\\t"); break;
			default:
				if (c < 0x20)
				{
					snprintf(esc, sizeof esc, "\\u%04x", c);
					puts_(o, esc);
				}
				else
					put(o, (const char *) &s[i], 1);
		}
	}
	put(o, "\"", 1);
}

/* v as jsonb_out's text, walking the binary form */
static void
dump(out *o, tmebox_json v)
{
	tmebox_json_iter it;
	tmebox_json k, e;
	char		num[32];
	const char *s;
	uint32_t	n;
	int			len;
	bool		first = true;

	switch (tmebox_json_typeof(v))
	{
		case TMEBOX_JSON_NULL:
			puts_(o, "null");
			break;
		case TMEBOX_JSON_BOOL:
			puts_(o, tmebox_json_bool(v) ? "true" : "false");
			break;
		case TMEBOX_JSON_STRING:
			s = tmebox_json_str(v, &n);
			dump_str(o, s, n);
			break;
		case TMEBOX_JSON_NUMBER:
			len = tmebox_json_number_text(v, num, sizeof num);
			if (len < (int) sizeof num)
				puts_(o, num);
			else
			{
				char	   *big = malloc((size_t) len + 1);

				tmebox_json_number_text(v, big, (uint32_t) len + 1);
				puts_(o, big);
				free(big);
			}
			break;
		case TMEBOX_JSON_ARRAY:
		case TMEBOX_JSON_OBJECT:
			puts_(o, tmebox_json_typeof(v) == TMEBOX_JSON_ARRAY ? "[" : "{");
			tmebox_json_iter_init(&it, v);
			while (tmebox_json_next(&it, &k, &e))
			{
				if (!first)
					puts_(o, ", ");
				first = false;
				if (tmebox_json_typeof(k) == TMEBOX_JSON_STRING)
				{
					s = tmebox_json_str(k, &n);
					dump_str(o, s, n);
					puts_(o, ": ");
				}
				dump(o, e);
			}
			puts_(o, tmebox_json_typeof(v) == TMEBOX_JSON_ARRAY ? "]" : "}");
			break;
		default:
			tmebox_error("dump of a missing value");
	}
}

static tmebox_buf *
text_of(tmebox_json v)
{
	out			o = {NULL, 0};

	if (tmebox_json_typeof(v) == TMEBOX_JSON_MISSING)
		return NULL;
	dump(&o, v);
	return o.b;
}

/* doc #> path: object keys, or array indexes, one per element */
static tmebox_json
walk(const tmebox_jsonb *doc, const tmebox_array_buf *path)
{
	tmebox_json v = tmebox_jsonb_root(doc);

	for (uint32_t i = 0; i < path->n; i++)
	{
		const tmebox_buf *p = path->v[i];

		if (p == NULL)
			tmebox_error("NULL path element");
		if (tmebox_json_typeof(v) == TMEBOX_JSON_ARRAY)
			v = tmebox_json_at(v, (uint32_t) strtoul(p->data, NULL, 10));
		else
			v = tmebox_json_getn(v, p->data, p->len);
	}
	return v;
}

tmebox_buf *
to_text(const tmebox_jsonb *doc)
{
	return text_of(tmebox_jsonb_root(doc));
}

tmebox_buf *
get_path(const tmebox_jsonb *doc, const tmebox_array_buf *path)
{
	return text_of(walk(doc, path));
}

tmebox_buf *
type_at(const tmebox_jsonb *doc, const tmebox_array_buf *path)
{
	return tmebox_buf_from_cstr(tmebox_json_type_name(walk(doc, path)));
}

int32_t
count_at(const tmebox_jsonb *doc, const tmebox_array_buf *path)
{
	return (int32_t) tmebox_json_count(walk(doc, path));
}

/* "int N" / "not an int64", "double D" / "not a number", the number's
 * text cut to cap bytes with its full length, the bool, a string test */
tmebox_buf *
num_at(const tmebox_jsonb *doc, const tmebox_array_buf *path, int32_t cap)
{
	tmebox_json v = walk(doc, path);
	int64_t		i;
	double		d;
	char		cut[64];
	char		msg[200];
	int			len = tmebox_json_number_text(v, cut, (uint32_t) cap);

	snprintf(msg, sizeof msg, "%s%lld | %s%.17g | %d:%s",
			 tmebox_json_int64(v, &i) ? "int " : "not an int64 ", (long long) (tmebox_json_int64(v, &i) ? i : 0),
			 tmebox_json_double(v, &d) ? "double " : "not a number ", tmebox_json_double(v, &d) ? d : 0.0,
			 len, len >= 0 && cap > 0 ? cut : "-");
	return tmebox_buf_from_cstr(msg);
}

int32_t
bool_at(const tmebox_jsonb *doc, const tmebox_array_buf *path)
{
	return tmebox_json_bool(walk(doc, path));
}

bool
str_is(const tmebox_jsonb *doc, const tmebox_array_buf *path, const tmebox_buf *s)
{
	return tmebox_json_streq(walk(doc, path), s->data);
}

/* the number at path as an exact numeric (NULL when not a number) */
tmebox_numeric *
numeric_at(const tmebox_jsonb *doc, const tmebox_array_buf *path)
{
	return tmebox_json_numeric(walk(doc, path));
}

/* an object's keys (or an array's elements) by iteration, as a set */
tmebox_array_buf *
keys_of(const tmebox_jsonb *doc)
{
	tmebox_json v = tmebox_jsonb_root(doc);
	tmebox_array_buf *r = tmebox_array_buf_new(tmebox_json_count(v));
	tmebox_json_iter it;
	tmebox_json k, e;
	uint32_t	i = 0;

	tmebox_json_iter_init(&it, v);
	while (tmebox_json_next(&it, &k, &e))
		r->v[i++] = tmebox_json_typeof(k) == TMEBOX_JSON_STRING ?
			tmebox_buf_from(tmebox_json_str(k, NULL), k.len) : text_of(e);
	return r;
}

/* element i by index for every i, the same text as the iteration */
bool
index_agrees(const tmebox_jsonb *doc)
{
	tmebox_json v = tmebox_jsonb_root(doc);
	tmebox_json_iter it;
	tmebox_json e;
	uint32_t	i = 0;

	tmebox_json_iter_init(&it, v);
	while (tmebox_json_next(&it, NULL, &e))
	{
		tmebox_buf *a = text_of(e);
		tmebox_buf *b = text_of(tmebox_json_at(v, i++));

		if (a->len != b->len || memcmp(a->data, b->data, a->len) != 0)
			return false;
	}
	return i == tmebox_json_count(v) &&
		tmebox_json_typeof(tmebox_json_at(v, i)) == TMEBOX_JSON_MISSING;
}

/* how many of keys "k1" .. "kN" hold their own number */
int32_t
lookups(const tmebox_jsonb *doc, int32_t n)
{
	tmebox_json root = tmebox_jsonb_root(doc);
	int32_t		found = 0;
	char		key[16];

	for (int32_t i = 1; i <= n; i++)
	{
		int64_t		v;

		snprintf(key, sizeof key, "k%d", i);
		if (tmebox_json_int64(tmebox_json_get(root, key), &v) && v == i)
			found++;
	}
	return found;
}

/* the sum of field "x" of an object: the benchmark's shape */
int64_t
field_x(const tmebox_jsonb *doc)
{
	int64_t		x = 0;

	if (!tmebox_json_int64(tmebox_json_get(tmebox_jsonb_root(doc), "x"), &x))
		tmebox_error("no integer \"x\"");
	return x;
}

/* the argument's bytes (len, then data) as bytea */
tmebox_buf *
raw(const tmebox_jsonb *doc)
{
	return tmebox_buf_from(doc->data, doc->len);
}

/*
 * A copy of doc with the 4 bytes at pos replaced by val (pos < 0: none)
 * and cut to len bytes (len < 0: not cut), walked whole: the reader
 * must refuse what is malformed, never read past the copy.  (bytea: a
 * damaged string's bytes need not be UTF-8.)
 */
tmebox_buf *
damaged(const tmebox_jsonb *doc, int32_t pos, int32_t val, int32_t len)
{
	uint32_t	n = len >= 0 && (uint32_t) len < doc->len ? (uint32_t) len : doc->len;
	tmebox_jsonb *c = malloc(sizeof(tmebox_jsonb) + n);

	c->len = n;
	memcpy(c->data, doc->data, n);
	if (pos >= 0 && (uint32_t) pos + 4 <= n)
		memcpy(c->data + pos, &val, 4);
	return text_of(tmebox_jsonb_root(c));
}

/* a NULL document (non-STRICT): MISSING, not a crash */
tmebox_buf *
root_type(const tmebox_jsonb *doc, bool doc_isnull)
{
	(void) doc_isnull;
	return tmebox_buf_from_cstr(tmebox_json_type_name(tmebox_jsonb_root(doc)));
}

/* the same SQL jsonb as text: unchanged */
tmebox_buf *
as_text(const tmebox_buf *doc)
{
	return tmebox_buf_from(doc->data, doc->len);
}

/* jsonb results are text, parsed by jsonb_in */
tmebox_jsonb *
bad_result(const tmebox_jsonb *doc)
{
	return (tmebox_jsonb *) doc;
}
$c$)) > 0 AS compiled;

CREATE FUNCTION to_text(jsonb) RETURNS text LANGUAGE tmebox STRICT AS 'jr.to_text';
CREATE FUNCTION get_path(jsonb, text[]) RETURNS text LANGUAGE tmebox STRICT AS 'jr.get_path';
CREATE FUNCTION type_at(jsonb, text[]) RETURNS text LANGUAGE tmebox STRICT AS 'jr.type_at';
CREATE FUNCTION count_at(jsonb, text[]) RETURNS int4 LANGUAGE tmebox STRICT AS 'jr.count_at';
CREATE FUNCTION num_at(jsonb, text[], int4) RETURNS text LANGUAGE tmebox STRICT AS 'jr.num_at';
CREATE FUNCTION bool_at(jsonb, text[]) RETURNS int4 LANGUAGE tmebox STRICT AS 'jr.bool_at';
CREATE FUNCTION numeric_at(jsonb, text[]) RETURNS numeric LANGUAGE tmebox STRICT AS 'jr.numeric_at';
CREATE FUNCTION str_is(jsonb, text[], text) RETURNS bool LANGUAGE tmebox STRICT AS 'jr.str_is';
CREATE FUNCTION keys_of(jsonb) RETURNS SETOF text LANGUAGE tmebox STRICT AS 'jr.keys_of';
CREATE FUNCTION index_agrees(jsonb) RETURNS bool LANGUAGE tmebox STRICT AS 'jr.index_agrees';
CREATE FUNCTION field_x(jsonb) RETURNS int8 LANGUAGE tmebox STRICT AS 'jr.field_x';
CREATE FUNCTION lookups(jsonb, int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'jr.lookups';
CREATE FUNCTION raw(jsonb) RETURNS bytea LANGUAGE tmebox STRICT AS 'jr.raw';
CREATE FUNCTION damaged(jsonb, int4, int4, int4) RETURNS bytea LANGUAGE tmebox STRICT AS 'jr.damaged';
CREATE FUNCTION root_type(jsonb) RETURNS text LANGUAGE tmebox AS 'jr.root_type';
CREATE FUNCTION as_text(jsonb) RETURNS text LANGUAGE tmebox STRICT AS 'jr.as_text';

-- every JSON type, at the top and nested; the walk prints jsonb_out's text
CREATE TABLE docs (id int, d jsonb);
INSERT INTO docs VALUES
	(1, 'null'), (2, 'true'), (3, 'false'), (4, '0'), (5, '-12.50'),
	(6, '"a string"'), (7, '""'), (8, '{}'), (9, '[]'), (10, '[[]]'),
	(11, '{"a": {}}'),
	(12, '{"b": 1, "a": [1, "two", 3.0, null, true, false, {"c": [[], {}]}], "longer key": {"x": -1e-7}}'),
	(13, '{"tab\tkey": "line\nbreak \"quoted\" back\\slash \u0001", "ключ": "значение", "日本": "語", "emoji 🎉": "🎉"}'),
	(14, '[1e100, -0.0001, 123456789012345678901234567890, 0.1e-20, 9223372036854775807, -9223372036854775808, 9223372036854775808, 1.000, 10000, 100000000]'),
	(15, '{"deep": [[[[[[[[[[{"x": [[[[[[[[[[1]]]]]]]]]]}]]]]]]]]]]}');
SELECT id, to_text(d), to_text(d) = d::text AS same FROM docs ORDER BY id;
SELECT root_type(NULL), root_type('[]'), root_type('1');

-- lookups: d #> path for every key and index of every container, and
-- missing ones (NULL); types and counts
CREATE TEMP VIEW paths AS
WITH RECURSIVE w(id, path, v) AS (
	SELECT id, '{}'::text[], d FROM docs
	UNION ALL
	SELECT w.id, w.path || c.k, c.v
	FROM w CROSS JOIN LATERAL (
		SELECT key, value FROM jsonb_each(CASE jsonb_typeof(w.v) WHEN 'object' THEN w.v ELSE '{}' END)
		UNION ALL
		SELECT (n - 1)::text, value
		FROM jsonb_array_elements(CASE jsonb_typeof(w.v) WHEN 'array' THEN w.v ELSE '[]' END)
			WITH ORDINALITY e(value, n)) c(k, v)
)
SELECT id, path AS p FROM w;
SELECT count(*) AS paths,
	count(*) FILTER (WHERE get_path(d, p) IS DISTINCT FROM (d #> p)::text) AS get_differs,
	count(*) FILTER (WHERE type_at(d, p) IS DISTINCT FROM jsonb_typeof(d #> p)) AS type_differs,
	count(*) FILTER (WHERE count_at(d, p) <> CASE jsonb_typeof(d #> p)
		WHEN 'array' THEN jsonb_array_length(d #> p)
		WHEN 'object' THEN (SELECT count(*) FROM jsonb_object_keys(d #> p)) ELSE 0 END) AS count_differs
FROM docs JOIN paths USING (id);
SELECT get_path(d, '{b}') AS b, get_path(d, '{a,6,c}') AS a6c, get_path(d, '{a,1}') AS a1,
	get_path(d, '{nope}') AS missing, get_path(d, '{a,7}') AS past_end,
	get_path(d, '{a,x}') AS key_of_array, get_path(d, '{b,x}') AS key_of_number,
	get_path(d, '{""}') AS empty_key, type_at(d, '{zz}') AS missing_type,
	count_at(d, '{b}') AS scalar_count
FROM docs WHERE id = 12;
SELECT get_path(d, ARRAY['ключ']), get_path(d, ARRAY['日本']), get_path(d, ARRAY['emoji 🎉']),
	get_path(d, ARRAY[E'tab\tkey']), str_is(d, ARRAY['日本'], '語'), str_is(d, ARRAY['日本'], '語!')
FROM docs WHERE id = 13;
SELECT get_path(d, '{deep,0,0,0,0,0,0,0,0,0,0,x,0,0,0,0,0,0,0,0,0,0}') FROM docs WHERE id = 15;
SELECT bool_at('[true, false, null, 1, "true"]', ARRAY[i::text]) FROM generate_series(0, 5) i;

-- iteration: an object's keys in the stored order (shorter first)
SELECT array_agg(k) AS keys, (SELECT array_agg(x) FROM jsonb_object_keys(d) x) AS jsonb_object_keys
FROM docs, keys_of(d) k WHERE id IN (12, 13) GROUP BY id, d ORDER BY id;
SELECT keys_of('[1, "a", [2]]'), keys_of('{}') IS NULL AS empty;
SELECT id, index_agrees(d) FROM docs WHERE jsonb_typeof(d) = 'array' ORDER BY id;

-- numbers: numeric_out's text (cut to cap, full length returned), int64
-- when integral and in range, double
SELECT n, num_at(jsonb_build_array(n), '{0}', 64) AS num
FROM unnest(ARRAY['0', '-0', '1', '-1', '9999', '10000', '-12.50', '1.000', '0.0001', '-0.00012300',
	'123456789.987654321', '9223372036854775807', '-9223372036854775808', '9223372036854775808',
	'-9223372036854775809', '1e100', '1.5e-10', '3.141592653589793238462643383279']::numeric[]) n;
-- the same numbers as exact numerics: equal to doc->>'x' cast, same scale
SELECT count(*) AS numbers,
	count(*) FILTER (WHERE numeric_at(d, p)::text = (d #>> p::text[])) AS same_text,
	count(*) FILTER (WHERE numeric_at(d, p) = (d #>> p::text[])::numeric) AS same_value
FROM docs JOIN paths USING (id) WHERE jsonb_typeof(d #> p) = 'number';
SELECT numeric_at('[-12.50]', '{0}') * 2 AS doubled, numeric_at('["1"]', '{0}') AS a_string,
	numeric_at('{}', '{x}') AS missing;
SELECT count(*) FILTER (WHERE numeric_at(jsonb_build_array(n), '{0}') = n
						AND numeric_at(jsonb_build_array(n), '{0}')::text = n::text) AS same, count(*)
FROM (SELECT (random() * 10 ^ (random() * 40 - 20))::numeric(60, 25) * (CASE WHEN random() < 0.5 THEN -1 ELSE 1 END) AS n
	  FROM generate_series(1, 2000)) s;
SELECT num_at('[123456789]', '{0}', 5) AS cut, num_at('[123456789]', '{0}', 0) AS no_room,
	num_at('["1"]', '{0}', 10) AS a_string, num_at('[1]', '{1}', 10) AS missing;
SELECT length(to_text(jsonb_build_array(('1' || repeat('0', 1000) || '.' || repeat('5', 500))::numeric)))
	AS long_number_length;
SELECT to_text(jsonb_build_array(n)) = jsonb_build_array(n)::text AS same, count(*)
FROM (SELECT (random() * 10 ^ (random() * 40 - 20))::numeric(60, 25) * (CASE WHEN random() < 0.5 THEN -1 ELSE 1 END) AS n
	  FROM generate_series(1, 2000)) s GROUP BY 1;

-- large documents: out of line and compressed (detoasted for the call),
-- and an object of 10 000 keys (binary search over offsets stored every
-- 32 entries)
CREATE TABLE big (d jsonb);
INSERT INTO big SELECT jsonb_object_agg('k' || i, i) FROM generate_series(1, 10000) i;
INSERT INTO big SELECT jsonb_build_object('x', 7, 'pad', repeat('z', 100000));
INSERT INTO big SELECT jsonb_build_object('x', 8, 'noise', (SELECT jsonb_agg(md5(i::text)) FROM generate_series(1, 5000) i));
SELECT pg_column_size(d) < octet_length(d::text) AS compressed, count_at(d, '{}') AS n,
	get_path(d, '{k1}') AS k1, get_path(d, '{k5000}') AS k5000, get_path(d, '{k10000}') AS k10000,
	get_path(d, '{k10001}') AS k10001, get_path(d, '{x}') AS x,
	to_text(d) = d::text AS same
FROM big;
SELECT lookups(d, 10001) AS found FROM big WHERE count_at(d, '{}') = 10000;
SELECT sum(field_x(jsonb_build_object('x', i, 'y', 'other'))) FROM generate_series(1, 1000) i;
SELECT field_x('{"y": 1}');
SELECT field_x('{"x": 1.5}');

-- the binary form as PostgreSQL stores it: header, JEntries, data
SELECT raw('{"a": 1}'), raw('[true]'), raw('"s"');

-- malformed documents (the function's own copy, damaged): refused with
-- "malformed jsonb", never a read past the copy
SELECT convert_from(damaged(d, -1, 0, -1), 'UTF8') AS intact FROM docs WHERE id = 12;
SELECT pg_temp.error_of(format('SELECT damaged(%L, %s, %s, %s)', d, pos, val, len)) AS damage
FROM docs, (VALUES (0, 268435455, -1), (0, 0, -1), (0, 1879048195, -1), (4, 268435455, -1),
	(4, -1, -1), (12, 1879048193, -1), (-1, 0, 3), (-1, 0, 0), (-1, 0, 30)) v(pos, val, len)
WHERE id = 12;
-- every cut of a document is refused; a number's damaged header too
SELECT count(*) AS cuts,
	count(*) FILTER (WHERE pg_temp.error_of(format('SELECT damaged(%L, -1, 0, %s)', d, n)) LIKE 'malformed jsonb: %') AS refused
FROM docs, generate_series(0, octet_length(raw(d)) - 1) n WHERE id IN (12, 13, 14);
-- ('[1]': header, JEntry, then the numeric at 8: varlena header, n_header
-- at 12, its digit at 14)
SELECT raw('[1]'), convert_from(damaged('[1]', 12, 2, -1), 'UTF8') AS long_form_two_decimals,
	pg_temp.error_of($$SELECT damaged('[1]', 8, 2, -1)$$) AS compressed_header,
	pg_temp.error_of($$SELECT damaged('[1]', 8, 4, -1)$$) AS too_short,
	pg_temp.error_of($$SELECT damaged('[1]', 8, 36, -1)$$) AS too_long,
	pg_temp.error_of($$SELECT damaged('[1]', 12, 655392768, -1)$$) AS digit_10000,
	pg_temp.error_of($$SELECT damaged('[1]', 12, 57344, -1)$$) AS special_e000;
-- any 4 bytes anywhere: a value or "malformed jsonb", nothing else
SELECT count(*) AS tries, count(*) FILTER (WHERE e NOT LIKE 'malformed jsonb: %' AND e <> 'no error') AS other
FROM (SELECT pg_temp.error_of(format('SELECT damaged(%L, %s, %s, -1)', d, pos, val)) AS e
	  FROM docs, generate_series(0, octet_length(raw(d)) - 4) pos,
		   unnest(ARRAY[-1, 0, 1, 4, 268435455, -2147483648, 1073741825, 536870913, 1342177284]) val
	  WHERE id IN (12, 14)) s;

-- the same SQL argument declared const tmebox_buf *: text, as before;
-- a statement body's jsonb argument too
SELECT as_text('{"b": [1, 2.50], "a": null}');
CREATE FUNCTION body_text(j jsonb) RETURNS text LANGUAGE tmebox STRICT AS $$
	return tmebox_buf_from(j->data, j->len);
$$;
SELECT body_text('{"k": [true]}');
-- the file form of a body chooses the binary form by its C signature
CREATE FUNCTION body_bin(j jsonb) RETURNS int8 LANGUAGE tmebox STRICT AS $$
int64_t
body_bin(const tmebox_jsonb *j)
{
	int64_t		v = -1;

	tmebox_json_int64(tmebox_json_at(tmebox_json_get(tmebox_jsonb_root(j), "k"), 1), &v);
	return v;
}
$$;
SELECT body_bin('{"k": [1, 42]}'), body_bin('{"k": 1}');
-- a domain over jsonb, binary too
CREATE DOMAIN jobj AS jsonb CHECK (jsonb_typeof(VALUE) = 'object');
CREATE FUNCTION dom_x(jobj) RETURNS int8 LANGUAGE tmebox STRICT AS 'jr.field_x';
SELECT dom_x('{"x": 5}');
-- tmebox_jsonb is an argument form only; and only for jsonb
CREATE FUNCTION bad_result(jsonb) RETURNS jsonb LANGUAGE tmebox STRICT AS 'jr.bad_result';
CREATE FUNCTION not_jsonb(text) RETURNS int8 LANGUAGE tmebox STRICT AS 'jr.field_x';
CREATE FUNCTION not_jsonb(json) RETURNS int8 LANGUAGE tmebox STRICT AS 'jr.field_x';

-- the README's example
CREATE FUNCTION order_total(doc jsonb) RETURNS int8 LANGUAGE tmebox IMMUTABLE STRICT AS $$
int64_t
order_total(const tmebox_jsonb *doc)
{
	tmebox_json items = tmebox_json_get(tmebox_jsonb_root(doc), "items");
	tmebox_json_iter it;
	tmebox_json item;
	int64_t		total = 0;

	tmebox_json_iter_init(&it, items);
	while (tmebox_json_next(&it, NULL, &item))
	{
		int64_t		cents, qty;

		if (!tmebox_json_int64(tmebox_json_get(item, "cents"), &cents) ||
			!tmebox_json_int64(tmebox_json_get(item, "qty"), &qty))
			tmebox_error("item without integer cents and qty");
		total += cents * qty;
	}
	return total;
}
$$;
SELECT order_total('{"items": [{"cents": 250, "qty": 2}, {"cents": 99, "qty": 1}]}'),
	order_total('{"items": []}'), order_total('{}');
SELECT order_total('{"items": [{"cents": 250}]}');

RESET ROLE;
DROP FUNCTION order_total(jsonb);
DROP FUNCTION to_text(jsonb), get_path(jsonb, text[]), type_at(jsonb, text[]),
	count_at(jsonb, text[]), num_at(jsonb, text[], int4), bool_at(jsonb, text[]), numeric_at(jsonb, text[]),
	str_is(jsonb, text[], text), keys_of(jsonb), index_agrees(jsonb), field_x(jsonb), lookups(jsonb, int4),
	raw(jsonb), damaged(jsonb, int4, int4, int4), root_type(jsonb), as_text(jsonb),
	body_text(jsonb), body_bin(jsonb), dom_x(jobj);
DROP DOMAIN jobj;
DROP VIEW paths;
DROP TABLE docs, big;
SELECT tmebox.drop_module('jsonb', 'jr');
SELECT tmebox.drop_tenant('jsonb');
REVOKE ALL ON SCHEMA public FROM regress_jsonb;
REVOKE ALL ON SCHEMA tmebox FROM regress_jsonb;
REVOKE ALL ON LANGUAGE tmebox FROM regress_jsonb;
DROP ROLE regress_jsonb;
