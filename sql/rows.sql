-- rows: composite types as C structs.  A row argument arrives as a
-- pointer to a struct with one member per column and a bool NAME_isnull
-- per column; a row result is such a struct (malloc'd, static or an
-- argument's), a set of rows a struct {uint32_t n, _pad; ROW v[];}.  A
-- body gets the structs generated (named like the type; result_row for
-- OUT parameters and RETURNS TABLE); a module declares its own, and
-- CREATE FUNCTION checks it member for member against the SQL type.
-- ALTER TYPE rebinds: a body is recompiled with the new struct, a module
-- whose struct no longer matches is refused.  Everything the struct holds
-- is checked when it comes back (pointers, lengths, counts: 38000).
\pset null '(null)'

CREATE ROLE regress_rows;
GRANT USAGE ON LANGUAGE tmebox TO regress_rows;
GRANT USAGE ON SCHEMA tmebox TO regress_rows;
GRANT CREATE ON SCHEMA public TO regress_rows;
SELECT tmebox.create_tenant('rows', owner => 'regress_rows') > 0 AS created;

CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

SET ROLE regress_rows;
CREATE TYPE point3 AS (x int4, y float8, label text);

---------------------------------------------------------------------------
-- 1. a row in: row->x, row->x_isnull; a NULL row is a NULL pointer
---------------------------------------------------------------------------
CREATE FUNCTION norm(p point3) RETURNS float8 LANGUAGE tmebox STRICT AS $$
	if (p->x_isnull || p->y_isnull)
		return -1;
	return p->x * p->x + p->y * p->y;
$$;
SELECT norm(ROW(3, 4, 'a')::point3) AS n, norm(ROW(NULL, 4, NULL)::point3) AS null_x,
	norm(NULL::point3) AS strict_null;

CREATE FUNCTION label_of(p point3) RETURNS text LANGUAGE tmebox AS $$
	if (p == NULL)
		return tmebox_buf_from_cstr("no row");
	if (p->label_isnull)
		return NULL;
	return tmebox_buf_from(p->label->data, p->label->len);
$$;
SELECT label_of(ROW(1, 2, 'héllo')::point3) AS label, label_of(ROW(1, 2, NULL)::point3) AS null_label,
	label_of(NULL) AS null_row, label_of(ROW(NULL, NULL, '')::point3) AS empty;

-- a table's row type
CREATE TABLE items (id int4, name varchar(20), price float8, added date);
INSERT INTO items VALUES (1, 'pen', 1.5, '2024-01-02'), (2, NULL, NULL, NULL);
CREATE FUNCTION describe(i items) RETURNS text LANGUAGE tmebox STRICT AS $$
	char out[200];
	snprintf(out, sizeof out, "%d:%s:%g:%d", i->id,
			 i->name_isnull ? "?" : i->name->data,
			 i->price_isnull ? -1.0 : i->price, i->added_isnull ? 0 : i->added);
	return tmebox_buf_from_cstr(out);
$$;
SELECT id, describe(items) FROM items ORDER BY id;

---------------------------------------------------------------------------
-- 2. a row out: NULL fields, a NULL row, text checked like any result
---------------------------------------------------------------------------
CREATE FUNCTION make_point(x int4, y float8, label text) RETURNS point3 LANGUAGE tmebox AS $$
	point3 *r;
	if (x_isnull && y_isnull && label_isnull)
		return NULL;				/* a NULL row */
	r = calloc(1, sizeof *r);
	r->x = x;
	r->x_isnull = x_isnull;
	r->y = y;
	r->y_isnull = y_isnull;
	if (label_isnull)
		r->label_isnull = true;
	else
		r->label = tmebox_buf_from(label->data, label->len);
	return r;
$$;
SELECT make_point(1, 2.5, 'a') AS p, make_point(NULL, 2.5, NULL) AS nulls,
	make_point(NULL, NULL, NULL) IS NULL AS null_row;
SELECT (make_point(7, 0.5, 'seven')).*;
-- a row result may be an argument's struct, or static data
CREATE FUNCTION same(p point3) RETURNS point3 LANGUAGE tmebox STRICT AS $$
	return (point3 *) p;
$$;
SELECT same(ROW(5, 6, 'six')::point3), same(ROW(NULL, NULL, NULL)::point3);
CREATE FUNCTION origin() RETURNS point3 LANGUAGE tmebox AS $$
	static point3 o = {.label_isnull = true};
	return &o;
$$;
SELECT origin();
-- a text member that is a NULL pointer is NULL, whatever its flag says
CREATE FUNCTION zeroed() RETURNS point3 LANGUAGE tmebox AS $$
	return calloc(1, sizeof(point3));
$$;
SELECT zeroed(), (zeroed()).label IS NULL AS label_null;
-- a field that is no valid value of its column's type
CREATE FUNCTION nul_text() RETURNS point3 LANGUAGE tmebox AS $$
	point3 *r = calloc(1, sizeof *r);
	r->label = tmebox_buf_from("a\0b", 3);
	return r;
$$;
SELECT pg_temp.sqlstate_of('SELECT nul_text()') AS nul_in_text;
CREATE TYPE dated AS (d date, t timestamp);
CREATE FUNCTION bad_date() RETURNS dated LANGUAGE tmebox AS $$
	dated *r = calloc(1, sizeof *r);
	r->d = 2000000000;			/* days: far past 294276 AD */
	return r;
$$;
SELECT pg_temp.sqlstate_of('SELECT bad_date()') AS date_out_of_range;

---------------------------------------------------------------------------
-- 3. OUT and INOUT parameters: the row result_row; one OUT parameter is
--    the result itself
---------------------------------------------------------------------------
CREATE FUNCTION divmod(a int4, b int4, OUT q int4, OUT r int4) LANGUAGE tmebox STRICT AS $$
	result_row *res = calloc(1, sizeof *res);
	if (b == 0)
	{
		res->q_isnull = res->r_isnull = true;
		return res;
	}
	res->q = a / b;
	res->r = a % b;
	return res;
$$;
SELECT * FROM divmod(17, 5);
SELECT divmod(7, 0);
CREATE FUNCTION bump(INOUT n int8, INOUT tag text) LANGUAGE tmebox AS $$
	result_row *res = calloc(1, sizeof *res);
	res->n = n + 1;
	res->n_isnull = n_isnull;
	res->tag_isnull = tag_isnull;
	if (!tag_isnull)
	{
		res->tag = tmebox_buf_new(tag->len + 1);
		memcpy(res->tag->data, tag->data, tag->len);
		res->tag->data[tag->len] = '!';
	}
	return res;
$$;
SELECT * FROM bump(41, 'hi');
SELECT * FROM bump(NULL, NULL);
CREATE FUNCTION twice(x int4, OUT y int4) LANGUAGE tmebox STRICT AS $$
	return 2 * x;
$$;
SELECT twice(21);
CREATE PROCEDURE swap(INOUT a text, INOUT b text) LANGUAGE tmebox AS $$
	result_row *res = calloc(1, sizeof *res);
	res->a = (tmebox_buf *) b;
	res->a_isnull = b_isnull;
	res->b = (tmebox_buf *) a;
	res->b_isnull = a_isnull;
	return res;
$$;
CALL swap('left', 'right');

---------------------------------------------------------------------------
-- 4. RETURNS TABLE with several columns, RETURNS SETOF a composite type
---------------------------------------------------------------------------
CREATE FUNCTION squares(n int4) RETURNS TABLE (i int4, sq int8, name text) LANGUAGE tmebox STRICT AS $$
	result_row_rows *s;
	if (n < 0)
		return NULL;				/* no rows */
	s = calloc(1, sizeof *s + (size_t) n * sizeof s->v[0]);
	s->n = n;
	for (int k = 0; k < n; k++)
	{
		char buf[32];
		s->v[k].i = k;
		s->v[k].sq = (int64_t) k * k;
		snprintf(buf, sizeof buf, "row %d", k);
		if (k % 2)
			s->v[k].name_isnull = true;
		else
			s->v[k].name = tmebox_buf_from_cstr(buf);
	}
	return s;
$$;
SELECT * FROM squares(5);
SELECT count(*) AS empty FROM squares(0);
SELECT count(*) AS null_set FROM squares(-1);
SELECT sum(sq) AS big FROM squares(100000);

CREATE FUNCTION points(n int4) RETURNS SETOF point3 LANGUAGE tmebox STRICT AS $$
	point3_rows *s = calloc(1, sizeof *s + (size_t) n * sizeof s->v[0]);
	s->n = n;
	for (int k = 0; k < n; k++)
	{
		s->v[k].x = k;
		s->v[k].y = k / 2.0;
		s->v[k].label = tmebox_buf_new(100000);	/* 100 kB each */
		memset(s->v[k].label->data, 'a' + k % 26, 3);
		s->v[k].label->len = 3;
	}
	return s;
$$;
SELECT * FROM points(3);
SELECT x, label FROM points(2) WHERE y > 0;
-- out of memory in the middle of the set (100 kB a row, 64 MB): 53200,
-- and the function works again afterwards
SELECT pg_temp.sqlstate_of('SELECT count(*) FROM points(2000)') AS oom;
SELECT count(*) AS after_oom FROM points(4);

---------------------------------------------------------------------------
-- 5. modules declare their own structs, checked against the SQL type
---------------------------------------------------------------------------
SELECT cardinality(tmebox.create_module('rows', 'rowmod', $$
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tmebox.h>

/* point3 (x int4, y float8, label text): flags anywhere, any tag */
struct pt { bool x_isnull; int32_t x; bool y_isnull, label_isnull; double y; const tmebox_buf *label; };
/* the members out of order */
struct swapped { double y; int32_t x; const tmebox_buf *label; bool x_isnull, y_isnull, label_isnull; };
/* one member short */
struct short2 { int32_t x; double y; bool x_isnull, y_isnull; };
struct pts { uint32_t n, _pad; struct pt v[]; };

struct pt *flip(const struct pt *p)
{
	struct pt *r = calloc(1, sizeof *r);
	r->x = (int32_t) p->y;
	r->x_isnull = p->y_isnull;
	r->y = p->x;
	r->y_isnull = p->x_isnull;
	r->label = p->label;		/* an argument's buffer: not freed */
	r->label_isnull = p->label_isnull;
	return r;
}
int32_t swapped_x(const struct swapped *s) { return s->x; }
int32_t short_x(const struct short2 *s) { return s->x; }

/* forged results: every one is refused (invalid result, 38000) */
static struct pt *one(void) { return calloc(1, sizeof(struct pt)); }
struct pt *row_outside(void) { return (struct pt *) (uintptr_t) 0xfffff000u; }
struct pt *row_in_guard(void) { return (struct pt *) (uintptr_t) 16; }
struct pt *label_outside(void) { struct pt *r = one(); r->label = (const tmebox_buf *) (uintptr_t) 0xffff0000u; return r; }
struct pt *label_high_bits(void)
{
	struct pt *r = one();
	uint64_t forged = ((uint64_t) 1 << 40) | (uint64_t) (uintptr_t) tmebox_buf_from_cstr("x");
	memcpy(&r->label, &forged, sizeof forged);
	return r;
}
struct pt *label_too_long(void)
{
	struct pt *r = one();
	tmebox_buf *b = tmebox_buf_from_cstr("short");
	b->len = 0x7fffffff;
	r->label = b;
	return r;
}
struct pts *rows_lie(void)
{
	struct pts *s = calloc(1, sizeof *s + 2 * sizeof s->v[0]);
	s->n = 100000000;			/* 2 rows allocated */
	return s;
}
struct pts *rows_outside(void) { return (struct pts *) (uintptr_t) 0xfffffff8u; }
struct pts *rows_bad_label(void)
{
	struct pts *s = calloc(1, sizeof *s + 3 * sizeof s->v[0]);
	s->n = 3;
	s->v[0].label = s->v[1].label = tmebox_buf_from_cstr("fine");
	s->v[2].label = (const tmebox_buf *) (uintptr_t) 0x20;	/* the NULL guard */
	return s;
}
/* a NULL flag that is not 0 or 1 is true; a NULL field's value is never read */
struct pt *odd_flags(void)
{
	struct pt *r = one();
	r->x = 5;
	memset(&r->y_isnull, 0x7f, 1);
	r->label_isnull = true;
	r->label = (const tmebox_buf *) (uintptr_t) 0xdeadbeefu;
	return r;
}
$$)) AS nexports;

CREATE FUNCTION mflip(point3) RETURNS point3 LANGUAGE tmebox STRICT AS 'rowmod.flip';
SELECT mflip(ROW(1, 2.5, 'm')::point3), mflip(ROW(NULL, 3, NULL)::point3);
-- the struct must be the type's, member for member (42P13)
CREATE FUNCTION mswapped(point3) RETURNS int4 LANGUAGE tmebox AS 'rowmod.swapped_x';
CREATE FUNCTION mshort(point3) RETURNS int4 LANGUAGE tmebox AS 'rowmod.short_x';
-- a row where the C function takes a scalar, and the other way round
CREATE FUNCTION mscalar(int4) RETURNS int4 LANGUAGE tmebox AS 'rowmod.short_x';

CREATE FUNCTION row_outside() RETURNS point3 LANGUAGE tmebox AS 'rowmod.row_outside';
CREATE FUNCTION row_in_guard() RETURNS point3 LANGUAGE tmebox AS 'rowmod.row_in_guard';
CREATE FUNCTION label_outside() RETURNS point3 LANGUAGE tmebox AS 'rowmod.label_outside';
CREATE FUNCTION label_high_bits() RETURNS point3 LANGUAGE tmebox AS 'rowmod.label_high_bits';
CREATE FUNCTION label_too_long() RETURNS point3 LANGUAGE tmebox AS 'rowmod.label_too_long';
CREATE FUNCTION rows_lie() RETURNS SETOF point3 LANGUAGE tmebox AS 'rowmod.rows_lie';
CREATE FUNCTION rows_outside() RETURNS SETOF point3 LANGUAGE tmebox AS 'rowmod.rows_outside';
CREATE FUNCTION rows_bad_label() RETURNS SETOF point3 LANGUAGE tmebox AS 'rowmod.rows_bad_label';
CREATE FUNCTION odd_flags() RETURNS point3 LANGUAGE tmebox AS 'rowmod.odd_flags';
SELECT row_outside();
SELECT row_in_guard();
SELECT label_outside();
SELECT label_high_bits();
SELECT label_too_long();
SELECT * FROM rows_lie();
SELECT * FROM rows_outside();
SELECT * FROM rows_bad_label();
SELECT q AS forged, pg_temp.sqlstate_of(q) AS sqlstate FROM (VALUES
	('SELECT row_outside()'), ('SELECT row_in_guard()'), ('SELECT label_outside()'),
	('SELECT label_high_bits()'), ('SELECT label_too_long()'),
	('SELECT * FROM rows_lie()'), ('SELECT * FROM rows_outside()'),
	('SELECT * FROM rows_bad_label()')) AS t(q);
SELECT odd_flags();
-- the module works again after every refusal
SELECT mflip(ROW(2, 4, NULL)::point3);
-- replacing a module whose struct changes breaks the functions bound to
-- it (2BP01); moving members about (the flags) breaks nothing
SELECT cardinality(tmebox.create_module('rows', 'rowmod2', $$
#include <stdbool.h>
#include <tmebox.h>
struct pt { int32_t x; double y; const tmebox_buf *label; bool x_isnull, y_isnull, label_isnull; };
int32_t getx(const struct pt *p) { return p->x_isnull ? -1 : p->x; }
$$)) AS nexports;
CREATE FUNCTION getx(point3) RETURNS int4 LANGUAGE tmebox STRICT AS 'rowmod2.getx';
SELECT getx(ROW(8, 0, NULL)::point3);
SELECT tmebox.replace_module('rows', 'rowmod2', $$
#include <stdbool.h>
#include <tmebox.h>
struct pt { int32_t x; double y; const tmebox_buf *name; bool x_isnull, y_isnull, name_isnull; };
int32_t getx(const struct pt *p) { return p->x_isnull ? -1 : p->x; }
$$);
SELECT tmebox.replace_module('rows', 'rowmod2', $$
#include <stdbool.h>
#include <tmebox.h>
struct pt { bool x_isnull, y_isnull, label_isnull; int32_t x; double y; const tmebox_buf *label; };
int32_t getx(const struct pt *p) { return p->x_isnull ? -2 : p->x; }
$$);
SELECT getx(ROW(9, 0, NULL)::point3), getx(ROW(NULL, 0, NULL)::point3);

---------------------------------------------------------------------------
-- 6. ALTER TYPE under bound functions; DROP TYPE refused by dependency
---------------------------------------------------------------------------
SELECT norm(ROW(3, 4, 'a')::point3), mflip(ROW(1, 2, 'b')::point3);
ALTER TYPE point3 ADD ATTRIBUTE z int4;
-- a body is compiled again with the new struct; the module's struct no
-- longer matches: refused, never read with the old layout
SELECT norm(ROW(3, 4, 'a', 9)::point3);
SELECT make_point(1, 2, 'c');
SELECT * FROM points(2);
SELECT mflip(ROW(1, 2, 'b', 3)::point3);
ALTER TYPE point3 DROP ATTRIBUTE z;
SELECT mflip(ROW(1, 2, 'b')::point3), norm(ROW(6, 8, NULL)::point3);
ALTER TYPE point3 DROP ATTRIBUTE label;
SELECT norm(ROW(1, 1)::point3);
SELECT same(ROW(1, 1)::point3);
ALTER TYPE point3 ADD ATTRIBUTE label text;
-- a table's row type follows ALTER TABLE
ALTER TABLE items ADD COLUMN qty int2 DEFAULT 3;
SELECT id, describe(items) FROM items ORDER BY id;
DROP TYPE point3;
SELECT pg_temp.sqlstate_of('DROP TYPE point3') AS drop_type;
-- the query's row fixed when it starts, the function bound when it is
-- first called, an ALTER TYPE between: refused column by column, never
-- stored under the other types (red team s11 redD F2: a text stored as
-- int8 leaked a host address, an int8 read as text any address)
CREATE TYPE shifty AS (a text, b int8);
CREATE FUNCTION shifty_text(k int4) RETURNS SETOF shifty LANGUAGE tmebox STRICT VOLATILE AS $$
	shifty_rows *s = calloc(1, sizeof *s + sizeof s->v[0]);
	s->n = 1;
	s->v[0].a = tmebox_buf_from_cstr("hello, host");
	s->v[0].b = k;
	return s;
$$;
ALTER TYPE shifty ALTER ATTRIBUTE a TYPE int8;
CREATE FUNCTION shifty_int(k int4) RETURNS SETOF shifty LANGUAGE tmebox STRICT VOLATILE AS $$
	shifty_rows *s = calloc(1, sizeof *s + sizeof s->v[0]);
	s->n = 1;
	s->v[0].a = 16;
	s->v[0].b = k;
	return s;
$$;
BEGIN;
DECLARE c CURSOR FOR SELECT a, b FROM shifty_text(1);
ALTER TYPE shifty ALTER ATTRIBUTE a TYPE text;
FETCH c;
ROLLBACK;
ALTER TYPE shifty ALTER ATTRIBUTE a TYPE text;
BEGIN;
DECLARE c CURSOR FOR SELECT a, b FROM shifty_int(1);
ALTER TYPE shifty ALTER ATTRIBUTE a TYPE int8;
FETCH c;
ROLLBACK;
SELECT * FROM shifty_text(3);
DROP FUNCTION shifty_text(int4), shifty_int(int4);
DROP TYPE shifty;

---------------------------------------------------------------------------
-- 7. what is refused: array columns, names (record travels as a dynamic
-- row: records.sql); nested rows are nested structs (rownested.sql)
---------------------------------------------------------------------------
CREATE TYPE nest AS (p point3, n int4);
CREATE FUNCTION nested(n nest) RETURNS int4 LANGUAGE tmebox AS $$ return n->p_isnull ? -1 : n->p.x; $$;
SELECT nested(ROW(ROW(5, 1, 'a'), 2)::nest) AS nested, nested(ROW(NULL, 2)::nest) AS null_inner;
CREATE TYPE witharr AS (a int4[]);
CREATE FUNCTION arrcol() RETURNS witharr LANGUAGE tmebox AS $$ return NULL; $$;
CREATE TYPE kw AS ("int" int4);
CREATE FUNCTION keyword(k kw) RETURNS int4 LANGUAGE tmebox AS $$ return 0; $$;
CREATE TYPE spaced AS ("two words" int4);
CREATE FUNCTION spaced(s spaced) RETURNS int4 LANGUAGE tmebox AS $$ return 0; $$;
CREATE TYPE clash AS (x int4, x_isnull bool);
CREATE FUNCTION clash(c clash) RETURNS int4 LANGUAGE tmebox AS $$ return 0; $$;
CREATE TYPE "Odd Type" AS (x int4);
CREATE FUNCTION oddtype(o "Odd Type") RETURNS int4 LANGUAGE tmebox AS $$ return 0; $$;
CREATE TYPE empty AS ();
CREATE FUNCTION empty(e empty) RETURNS int4 LANGUAGE tmebox AS $$ return 0; $$;
-- numeric and interval columns are no longer refused: tmebox_numeric *
-- and tmebox_interval * members (rownumeric.sql)
CREATE TYPE money_row AS (id int4, amount numeric);
CREATE FUNCTION money_row(m money_row) RETURNS int4 LANGUAGE tmebox AS $$ return m->id; $$;
CREATE FUNCTION spans() RETURNS TABLE (a interval, b int4) LANGUAGE tmebox AS $$ return NULL; $$;
SELECT money_row(ROW(7, 1.5)::money_row) AS id, (SELECT count(*) FROM spans()) AS spans;
SELECT q AS statement, pg_temp.sqlstate_of(q) AS sqlstate FROM (VALUES
	('CREATE FUNCTION arrcol() RETURNS witharr LANGUAGE tmebox AS ''m.f'''),
	('CREATE FUNCTION keyword(k kw) RETURNS int4 LANGUAGE tmebox AS ''m.f'''),
	('CREATE FUNCTION clash(c clash) RETURNS int4 LANGUAGE tmebox AS ''m.f'''),
	('CREATE FUNCTION oddtype(o "Odd Type") RETURNS int4 LANGUAGE tmebox AS $b$ return 0; $b$')
) AS t(q);

RESET ROLE;

DROP OWNED BY regress_rows CASCADE;
SELECT tmebox.drop_module('rows', 'rowmod');
SELECT tmebox.drop_module('rows', 'rowmod2');
SELECT tmebox.drop_tenant('rows');
DROP ROLE regress_rows;
