-- rownested: a column that is itself a row is a nested struct, embedded
-- in its row's struct (p->inner.x), with its own flag p->inner_isnull in
-- the outer struct: a NULL nested row is told from one whose columns are
-- all NULL.  The layout lists the nested row and then its members
-- (NAME=struct, NAME.MEMBER=...: ABI.md "Rows as structs"); nothing of
-- a NULL nested row is read, every member of a present one is checked
-- like a result of its column's type, and the nested type's domain
-- constraints apply.  Arguments, results, SETOF, RETURNS TABLE, OUT;
-- a module's own nested struct checked member for member (42P13), also
-- after ALTER TYPE of the inner type; at most 8 levels.
\pset null '(null)'

CREATE ROLE regress_rownest;
GRANT USAGE ON LANGUAGE tmebox TO regress_rownest;
GRANT USAGE ON SCHEMA tmebox TO regress_rownest;
GRANT CREATE ON SCHEMA public TO regress_rownest;
SELECT tmebox.create_tenant('rownest', owner => 'regress_rownest') > 0 AS created;

CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

SET ROLE regress_rownest;
CREATE TYPE pt AS (x int4, y float8, label text);
CREATE TYPE seg AS (a pt, b pt, len numeric);
CREATE TYPE drawing AS (id int4, s seg, note text);

---------------------------------------------------------------------------
-- 1. in: members of members; a NULL nested row and one of NULL columns
---------------------------------------------------------------------------
CREATE FUNCTION describe_seg(s seg) RETURNS text LANGUAGE tmebox STRICT AS $$
	char		out[300];
	int			k = 0;
	const pt   *ends[2] = {&s->a, &s->b};
	bool		nulls[2] = {s->a_isnull, s->b_isnull};

	for (int i = 0; i < 2; i++)
	{
		if (nulls[i])
			k += snprintf(out + k, sizeof out - k, "[null row] ");
		else
			k += snprintf(out + k, sizeof out - k, "[%s,%s,%s] ",
						  ends[i]->x_isnull ? "-" : "x", ends[i]->y_isnull ? "-" : "y",
						  ends[i]->label_isnull ? "-" : ends[i]->label->data);
	}
	if (!s->a_isnull && !s->b_isnull && !s->a.x_isnull && !s->b.x_isnull)
		k += snprintf(out + k, sizeof out - k, "dx=%d ", s->b.x - s->a.x);
	if (s->len_isnull)
		snprintf(out + k, sizeof out - k, "len=null");
	else
	{
		tmebox_buf *t = tmebox_num_to_text(s->len);

		snprintf(out + k, sizeof out - k, "len=%.*s", (int) t->len, t->data);
	}
	return tmebox_buf_from_cstr(out);
$$;
SELECT describe_seg(ROW(ROW(1, 2, 'p'), ROW(4, 6, 'q'), 5.0)::seg) AS both,
	describe_seg(ROW(NULL, ROW(4, NULL, NULL), NULL)::seg) AS null_a;
SELECT describe_seg(ROW(ROW(NULL, NULL, NULL), NULL, 1)::seg) AS a_of_nulls;

CREATE FUNCTION deep_x(d drawing) RETURNS int4 LANGUAGE tmebox STRICT AS $$
	if (d->s_isnull || d->s.a_isnull || d->s.a.x_isnull)
		return -1;
	return d->s.a.x * 100 + d->id;
$$;
SELECT deep_x(ROW(7, ROW(ROW(3, 0, NULL), NULL, NULL), 'n')::drawing) AS x,
	deep_x(ROW(7, NULL, 'n')::drawing) AS null_s;

-- README's example
CREATE TYPE point3 AS (x int4, y float8, label text);
CREATE TYPE segment AS (a point3, b point3);
CREATE FUNCTION dx(s segment) RETURNS int4 LANGUAGE tmebox STRICT AS $$
	if (s->a_isnull || s->b_isnull)
		return -1;
	return s->b.x - s->a.x;
$$;
SELECT dx(ROW(ROW(1, 0, 'p'), ROW(4, 0, 'q'))::segment), dx(ROW(NULL, ROW(4, 0, 'q'))::segment);

---------------------------------------------------------------------------
-- 2. out, and round trips
---------------------------------------------------------------------------
CREATE FUNCTION same_drawing(d drawing) RETURNS drawing LANGUAGE tmebox STRICT AS $$
	drawing    *r = malloc(sizeof *r);
	*r = *d;
	return r;
$$;
CREATE FUNCTION mirrored(s seg) RETURNS seg LANGUAGE tmebox STRICT AS $$
	seg		   *r = calloc(1, sizeof *r);
	r->a = s->b;
	r->a_isnull = s->b_isnull;
	r->b = s->a;
	r->b_isnull = s->a_isnull;
	if (!r->b_isnull && !r->b.x_isnull)
		r->b.x = -r->b.x;
	r->len = s->len_isnull ? NULL : tmebox_num_neg(s->len);
	r->len_isnull = s->len_isnull;
	return r;
$$;
CREATE TEMP TABLE drawings (d drawing);
INSERT INTO drawings VALUES
	(ROW(1, ROW(ROW(1, 2.5, 'p'), ROW(3, 4, 'q'), 2.82)::seg, 'n')),
	(ROW(2, ROW(NULL, ROW(NULL, NULL, NULL), NULL)::seg, NULL)),
	(ROW(3, NULL, 'no seg')),
	(ROW(NULL, ROW(ROW(-2147483648, 'NaN', ''), ROW(2147483647, '-Infinity', repeat('é', 1000)),
		'NaN')::seg, NULL)),
	(ROW(NULL, NULL, NULL));
SELECT (d).id, same_drawing(d) IS NOT DISTINCT FROM d AS same,
	(same_drawing(d)).s IS NULL AS s_is_null, ((same_drawing(d)).s).a IS NULL AS a_is_null
FROM drawings ORDER BY (d).id;
SELECT mirrored(ROW(ROW(1, 2, 'p'), ROW(4, 6, 'q'), 5.0)::seg),
	mirrored(ROW(ROW(1, 2, 'p'), NULL, NULL)::seg);
SELECT * FROM same_drawing(ROW(9, ROW(ROW(1, 2, 'a'), NULL, 1.5)::seg, 'x')::drawing);

-- a NULL nested row's members are never read (garbage pointers there
-- are fine); a present one's are checked
CREATE FUNCTION forge_nested(what int) RETURNS seg LANGUAGE tmebox STRICT AS $$
	seg		   *r = calloc(1, sizeof *r);
	r->a.label = (tmebox_buf *) (uintptr_t) 0xdeadbeefu;
	r->a.x = 1;
	r->b_isnull = true;
	r->b.label = (tmebox_buf *) (uintptr_t) 0xfffffff0u;
	r->len_isnull = true;
	switch (what)
	{
		case 0: r->a_isnull = true; break;		/* fine: nothing of a read */
		case 1: break;							/* a.label outside: 38000 */
		case 2: r->a.label = tmebox_buf_from("x\0y", 3); break;	/* NUL: 22021 */
		case 3: r->a.label_isnull = true; r->b_isnull = false;
			r->b.label_isnull = true; break;	/* fine: b present, its label NULL */
		case 4: r->a_isnull = true; r->len_isnull = false;
			r->len = tmebox_num_from_int64(5); r->len->digits[0] = 10000; break; /* 22P03 */
		case 5: r->a.label_isnull = true; r->b_isnull = false; break;	/* b.label outside */
		case 6: r->a.label_isnull = true; memset(&r->a_isnull, 0x80, 1); break;	/* any byte */
	}
	return r;
$$;
SELECT what, pg_temp.sqlstate_of(format('SELECT forge_nested(%s)', what)) AS sqlstate
FROM generate_series(0, 6) AS what;
SELECT forge_nested(0) AS a_null, forge_nested(3) AS b_of_nulls, forge_nested(6) AS odd_flag;
SELECT forge_nested(1);
SELECT forge_nested(2);

---------------------------------------------------------------------------
-- 3. sets and OUT parameters with nested rows
---------------------------------------------------------------------------
CREATE FUNCTION segs(n int4) RETURNS SETOF seg LANGUAGE tmebox STRICT AS $$
	seg_rows   *s = calloc(1, sizeof *s + (size_t) n * sizeof s->v[0]);
	s->n = n;
	for (int k = 0; k < n; k++)
	{
		s->v[k].a.x = k;
		s->v[k].a.y = k / 2.0;
		s->v[k].a.label = tmebox_buf_from_cstr("from");
		s->v[k].b_isnull = k % 2 == 1;
		s->v[k].b.x = k * 10;
		s->v[k].b.y_isnull = true;
		s->v[k].b.label_isnull = true;
		s->v[k].len = tmebox_num_from_int64(k);
	}
	return s;
$$;
SELECT * FROM segs(4);
SELECT count(*), sum((a).x), count(b) FROM segs(1000);
CREATE FUNCTION endpoints(n int4) RETURNS TABLE (i int4, p pt) LANGUAGE tmebox STRICT AS $$
	result_row_rows *s = calloc(1, sizeof *s + (size_t) n * sizeof s->v[0]);
	s->n = n;
	for (int k = 0; k < n; k++)
	{
		s->v[k].i = k;
		s->v[k].p.x = k * k;
		s->v[k].p.y_isnull = true;
		s->v[k].p.label_isnull = true;
		s->v[k].p_isnull = k == 1;
	}
	return s;
$$;
SELECT * FROM endpoints(3);
CREATE FUNCTION split_seg(s seg, OUT first pt, OUT last pt) LANGUAGE tmebox STRICT AS $$
	result_row *r = calloc(1, sizeof *r);
	r->first = s->a;
	r->first_isnull = s->a_isnull;
	r->last = s->b;
	r->last_isnull = s->b_isnull;
	return r;
$$;
SELECT * FROM split_seg(ROW(ROW(1, 2, 'p'), NULL, 3)::seg);

---------------------------------------------------------------------------
-- 4. domains over a nested row: checked on the way out
---------------------------------------------------------------------------
CREATE DOMAIN pos_pt AS pt CHECK ((VALUE).x > 0);
CREATE TYPE holder AS (p pos_pt, n int4);
CREATE FUNCTION hold(x int4) RETURNS holder LANGUAGE tmebox STRICT AS $$
	holder	   *r = calloc(1, sizeof *r);
	r->p.x = x;
	r->p.y_isnull = r->p.label_isnull = true;
	r->p_isnull = x == 0;
	r->n = x;
	return r;
$$;
SELECT hold(5), hold(0);
SELECT hold(-1);

---------------------------------------------------------------------------
-- 5. a module's own nested struct: checked member for member; ALTER TYPE
-- of the inner type rebinds (a body recompiles, a module is refused)
---------------------------------------------------------------------------
SELECT cardinality(tmebox.create_module('rownest', 'segmod', $$
#include <stdbool.h>
#include <stdlib.h>
#include <tmebox.h>
struct point { int32_t x; double y; const tmebox_buf *label; bool x_isnull, y_isnull, label_isnull; };
struct segment { struct point a, b; const tmebox_numeric *len; bool a_isnull, b_isnull, len_isnull; };
struct point_f { float x; double y; const tmebox_buf *label; bool x_isnull, y_isnull, label_isnull; };
struct segment_f { struct point_f a, b; const tmebox_numeric *len; bool a_isnull, b_isnull, len_isnull; };
struct flat { int32_t a, b; const tmebox_numeric *len; bool a_isnull, b_isnull, len_isnull; };
int32_t ax(const struct segment *s) { return s->a_isnull || s->a.x_isnull ? -1 : s->a.x; }
struct segment *swap(const struct segment *s)
{
	struct segment *r = malloc(sizeof *r);
	*r = *s;
	r->a = s->b;
	r->a_isnull = s->b_isnull;
	r->b = s->a;
	r->b_isnull = s->a_isnull;
	return r;
}
float ax_f(const struct segment_f *s) { return s->a.x; }
int32_t flat_a(const struct flat *s) { return s->a; }
$$)) AS nexports;
CREATE FUNCTION sax(seg) RETURNS int4 LANGUAGE tmebox STRICT AS 'segmod.ax';
CREATE FUNCTION mswap(seg) RETURNS seg LANGUAGE tmebox STRICT AS 'segmod.swap';
SELECT sax(ROW(ROW(1, 2, 'p'), ROW(4, 6, 'q'), 5)::seg), mswap(ROW(ROW(1, 2, 'p'), NULL, 5)::seg);
CREATE FUNCTION sax_f(seg) RETURNS float4 LANGUAGE tmebox STRICT AS 'segmod.ax_f';
CREATE FUNCTION mflat(seg) RETURNS int4 LANGUAGE tmebox STRICT AS 'segmod.flat_a';
DROP TABLE drawings;				-- ALTER TYPE refuses a type in stored rows
ALTER TYPE pt ADD ATTRIBUTE z int2;
SELECT sax(ROW(ROW(1, 2, 'p', 0), NULL, 5)::seg);
SELECT describe_seg(ROW(ROW(1, 2, 'p', 3), ROW(4, 6, 'q', 5), 5.0)::seg);
ALTER TYPE pt DROP ATTRIBUTE z;
SELECT sax(ROW(ROW(1, 2, 'p'), NULL, 5)::seg);

---------------------------------------------------------------------------
-- 6. limits and names: 8 levels of nested rows, not 9; a nested type's
-- name must name a C struct in a body; two types of one name
---------------------------------------------------------------------------
CREATE TYPE n0 AS (x int4);
CREATE TYPE n1 AS (c n0);
CREATE TYPE n2 AS (c n1);
CREATE TYPE n3 AS (c n2);
CREATE TYPE n4 AS (c n3);
CREATE TYPE n5 AS (c n4);
CREATE TYPE n6 AS (c n5);
CREATE TYPE n7 AS (c n6);
CREATE TYPE n8 AS (c n7);
CREATE TYPE n9 AS (c n8);
CREATE FUNCTION eight(v n8) RETURNS int4 LANGUAGE tmebox STRICT AS $$
	return v->c.c.c.c.c.c.c.c.x;
$$;
SELECT eight(ROW(ROW(ROW(ROW(ROW(ROW(ROW(ROW(ROW(42)))))))))::n8);
CREATE FUNCTION nine(v n9) RETURNS int4 LANGUAGE tmebox STRICT AS $$ return 0; $$;
CREATE TYPE "Odd Inner" AS (x int4);
CREATE TYPE odd_outer AS (o "Odd Inner");
CREATE FUNCTION odd(v odd_outer) RETURNS int4 LANGUAGE tmebox STRICT AS $$ return 0; $$;
CREATE TYPE rownest.pt AS (q int4);		-- in the tenant's schema
CREATE TYPE mixed AS (p public.pt, o rownest.pt);
CREATE FUNCTION mixed(m mixed) RETURNS int4 LANGUAGE tmebox STRICT AS $$ return 0; $$;

RESET ROLE;

DROP OWNED BY regress_rownest CASCADE;
SELECT tmebox.drop_module('rownest', 'segmod');
SELECT tmebox.drop_tenant('rownest');
DROP ROLE regress_rownest;
