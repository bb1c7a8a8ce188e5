-- rownumeric: numeric and interval columns of rows, as struct members of
-- the scalar path's types (tmebox_numeric *, tmebox_interval *: a
-- pointer like a text member's, NULL when its flag is set or it is a NULL
-- pointer).  In: the stored Numeric's fields, normalised as for a
-- numeric argument (pl_numeric_in); out: every field of a returned
-- member checked by the scalar path's own checker (pl_numeric_out:
-- 22P03 malformed, 22003 past numeric's range; an interval of the wrong
-- length 38000), the column's numeric(p,s) applied, domains checked.
-- Arguments, results, SETOF rows, RETURNS TABLE and OUT parameters; a
-- module's own struct checked member for member (42P13), also after
-- ALTER TYPE.
\pset null '(null)'

CREATE ROLE regress_rownum;
GRANT USAGE ON LANGUAGE tmebox TO regress_rownum;
GRANT USAGE ON SCHEMA tmebox TO regress_rownum;
GRANT CREATE ON SCHEMA public TO regress_rownum;
SELECT tmebox.create_tenant('rownum', owner => 'regress_rownum') > 0 AS created;

CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

SET ROLE regress_rownum;
CREATE TYPE priced AS (id int4, price numeric, span interval, note text);

---------------------------------------------------------------------------
-- 1. a row in: the members' fields, as a numeric / interval argument's
---------------------------------------------------------------------------
CREATE FUNCTION fields_of(p priced) RETURNS text LANGUAGE tmebox STRICT AS $$
	char		out[300];
	int			k = snprintf(out, sizeof out, "id=%d ", p->id);

	if (p->price_isnull)
		k += snprintf(out + k, sizeof out - k, "price=null");
	else
	{
		k += snprintf(out + k, sizeof out - k, "sign=%04x weight=%d dscale=%u digits=",
					  p->price->sign, p->price->weight, p->price->dscale);
		for (uint32_t i = 0; i < TMEBOX_NUMERIC_NDIGITS(p->price) && k < 200; i++)
			k += snprintf(out + k, sizeof out - k, "%s%u", i ? "," : "", p->price->digits[i]);
	}
	if (p->span_isnull)
		k += snprintf(out + k, sizeof out - k, " span=null");
	else
		k += snprintf(out + k, sizeof out - k, " span=%d/%d/%lld len=%u",
					  p->span->month, p->span->day, (long long) p->span->time, p->span->len);
	return tmebox_buf_from_cstr(out);
$$;
SELECT v AS price, fields_of(ROW(1, v, '1 mon 2 days 00:00:03.5', NULL)::priced)
FROM (VALUES ('12.50'::numeric), ('-0.0001'), ('0'), ('0.000'), ('NaN'), ('Infinity'),
	('-Infinity'), ('100000000'), (NULL)) AS t(v);
SELECT fields_of(ROW(2, 1, NULL, 'x')::priced) AS null_span;

-- the decimal API works on a member as on an argument
CREATE FUNCTION total(p priced, qty int4) RETURNS numeric LANGUAGE tmebox STRICT AS $$
	if (p->price_isnull)
		return NULL;
	return tmebox_num_mul(p->price, tmebox_num_from_int64(qty));
$$;
SELECT total(ROW(1, 19.99, NULL, NULL)::priced, 3) AS total,
	total(ROW(1, NULL, NULL, NULL)::priced, 3) AS null_price,
	total(ROW(1, 'Infinity', NULL, NULL)::priced, -2) AS neg_inf;

---------------------------------------------------------------------------
-- 2. round trips: a row returned as it came (its members point into the
-- argument) and rebuilt (new values from the decimal API and
-- tmebox_interval_make); byte for byte numeric_in's value of its text
---------------------------------------------------------------------------
CREATE FUNCTION same(p priced) RETURNS priced LANGUAGE tmebox STRICT AS $$
	priced	   *r = malloc(sizeof *r);
	*r = *p;
	return r;
$$;
CREATE FUNCTION rebuilt(p priced) RETURNS priced LANGUAGE tmebox STRICT AS $$
	priced	   *r = calloc(1, sizeof *r);
	r->id = p->id + 1;
	r->id_isnull = p->id_isnull;
	if (!p->price_isnull)
		r->price = tmebox_num_add(p->price, tmebox_num_from_int64(0));
	r->price_isnull = p->price_isnull;	/* else a NULL pointer: NULL too */
	if (!p->span_isnull)
		r->span = tmebox_interval_make(p->span->month, p->span->day, p->span->time);
	r->span_isnull = p->span_isnull;
	r->note_isnull = true;
	return r;
$$;
CREATE TEMP TABLE vals (i serial, price numeric, span interval);
INSERT INTO vals (price, span) VALUES
	('NaN', '1 year 2 mons 3 days 04:05:06.789012'), ('Infinity', '-178000000 years'),
	('-Infinity', '178000000 years'), ('0', '0'), ('0.000', '-1 mon +1 day -00:00:00.000001'),
	('-12.5', NULL), (NULL, '1 day'), (NULL, NULL),
	(('9' || repeat('0', 1000))::numeric, '2147483647 days'),
	(('-0.' || repeat('0', 200) || '1')::numeric, '-2147483648 days'),
	(('3.' || repeat('14159', 200))::numeric, '00:00:00.000001'),
	('123456789012345678901234567890.123456789012345678901234567890', '1 mon'),
	('1e-16383', '2 hours'), ('1e131071', '3 mins');
SELECT i, f.price IS NOT DISTINCT FROM v.price AS same_price,
	numeric_send(f.price) IS NOT DISTINCT FROM numeric_send(v.price) AS same_bytes,
	pg_column_size(f.price) IS NOT DISTINCT FROM pg_column_size(v.price) AS same_size,
	f.span IS NOT DISTINCT FROM v.span AS same_span,
	interval_send(f.span) IS NOT DISTINCT FROM interval_send(v.span) AS same_span_bytes,
	g.price IS NOT DISTINCT FROM v.price AND
	numeric_send(g.price) IS NOT DISTINCT FROM numeric_send(v.price) AS rebuilt_price,
	interval_send(g.span) IS NOT DISTINCT FROM interval_send(v.span) AS rebuilt_span
FROM vals v, same(ROW(v.i, v.price, v.span, 'n')::priced) f,
	rebuilt(ROW(v.i, v.price, v.span, NULL)::priced) g
ORDER BY i;
SELECT * FROM same(ROW(7, '-12.50', '1 mon 2 days 00:00:03', 'x')::priced);
SELECT * FROM rebuilt(ROW(7, 'NaN', '-3 days', NULL)::priced);
SELECT * FROM rebuilt(ROW(NULL, NULL, NULL, NULL)::priced);

---------------------------------------------------------------------------
-- 3. sets: RETURNS TABLE with numeric columns, SETOF a type, OUT parameters
---------------------------------------------------------------------------
CREATE FUNCTION thirds(n int4) RETURNS TABLE (k int4, third numeric, span interval)
LANGUAGE tmebox STRICT AS $$
	result_row_rows *s = calloc(1, sizeof *s + (size_t) n * sizeof s->v[0]);
	s->n = n;
	for (int k = 0; k < n; k++)
	{
		s->v[k].k = k;
		if (k % 3 != 2)			/* every third row: NULL pointers, NULL */
		{
			s->v[k].third = tmebox_num_div(tmebox_num_from_int64(k), tmebox_num_from_int64(3),
										   6, TMEBOX_ROUND_HALF_EVEN);
			s->v[k].span = tmebox_interval_make(k, -k, (int64_t) k * 1500000);
		}
		s->v[k].span_isnull = k == 4;
	}
	return s;
$$;
SELECT * FROM thirds(6);
SELECT count(*), sum(third) FROM thirds(3000);
SELECT * FROM thirds(0);

CREATE FUNCTION catalogue(n int4) RETURNS SETOF priced LANGUAGE tmebox STRICT AS $$
	priced_rows *s = calloc(1, sizeof *s + (size_t) n * sizeof s->v[0]);
	tmebox_numeric *shared = tmebox_num_parse("0.99");	/* pointed to by every row */
	s->n = n;
	for (int k = 0; k < n; k++)
	{
		s->v[k].id = k;
		s->v[k].price = k == 0 ? tmebox_num_special(TMEBOX_NUMERIC_PINF) : shared;
		s->v[k].span = tmebox_interval_make(0, k, 0);
		s->v[k].note = tmebox_buf_from_cstr("n");
	}
	return s;
$$;
SELECT * FROM catalogue(3);

CREATE FUNCTION split_price(p numeric, OUT whole numeric, OUT cents numeric, OUT due interval)
LANGUAGE tmebox STRICT AS $$
	result_row *r = calloc(1, sizeof *r);
	r->whole = tmebox_num_trunc(p, 0);
	r->cents = tmebox_num_mul(tmebox_num_sub(p, r->whole), tmebox_num_from_int64(100));
	r->due = tmebox_interval_make(1, 0, 0);
	return r;
$$;
SELECT * FROM split_price(12.345);
SELECT * FROM split_price('-Infinity');

-- INOUT: the row of the OUT parameters, a numeric among them
CREATE FUNCTION bump(INOUT amount numeric, OUT label text) LANGUAGE tmebox STRICT AS $$
	result_row *r = calloc(1, sizeof *r);
	r->amount = tmebox_num_add(amount, tmebox_num_parse("0.01"));
	r->label = tmebox_buf_from_cstr("bumped");
	return r;
$$;
SELECT * FROM bump(9.99);

---------------------------------------------------------------------------
-- 4. a column's typmod and domains apply to a member as to a result
---------------------------------------------------------------------------
CREATE DOMAIN positive AS numeric CHECK (VALUE > 0);
CREATE TABLE orders (id int4, amount numeric(6,2), fee positive, wait interval);
CREATE FUNCTION order_of(a text, f text) RETURNS orders LANGUAGE tmebox STRICT AS $$
	orders	   *r = calloc(1, sizeof *r);
	r->id = 1;
	r->amount = tmebox_num_parse(a->data);
	r->fee = tmebox_num_parse(f->data);
	r->wait_isnull = true;
	return r;
$$;
SELECT * FROM order_of('1.005', '2');
SELECT * FROM order_of('1234.5', '0.5');
SELECT order_of('12345.5', '1');		-- numeric(6,2): 22003
SELECT order_of('1', '0');				-- positive: 23514
SELECT order_of('NaN', '1');
INSERT INTO orders SELECT * FROM order_of('3.14159', '7');
SELECT * FROM orders;
-- README's example
CREATE TABLE sales (id int4, amount numeric(10,2), wait interval);
CREATE FUNCTION with_tax(o sales) RETURNS sales LANGUAGE tmebox STRICT AS $$
	sales *r = malloc(sizeof *r);
	*r = *o;                                   /* wait: the argument's */
	if (!o->amount_isnull)
		r->amount = tmebox_num_mul(o->amount, tmebox_num_parse("1.2"));
	return r;                                  /* amount rounded to (10,2) */
$$;
SELECT with_tax(ROW(1, 9.99, '2 days')::sales);

---------------------------------------------------------------------------
-- 5. forged members: every field checked by the scalar path's checker
-- (22P03, 22003, as numeric_recv and numeric_in), pointers and lengths by
-- the runtime (38000); a row of a set too
---------------------------------------------------------------------------
CREATE FUNCTION forge(what int) RETURNS priced LANGUAGE tmebox STRICT AS $$
	priced	   *r = calloc(1, sizeof *r);
	tmebox_numeric *n = calloc(1, 8 + 8 + 2 * 4);
	tmebox_interval *iv = (tmebox_interval *) tmebox_interval_make(0, 1, 0);

	n->len = 10;
	n->digits[0] = 5;
	r->price = n;
	r->span = iv;
	r->note_isnull = true;
	switch (what)
	{
		case 1: n->len = 9; break;					/* half a digit */
		case 2: n->len = 3; break;					/* shorter than the header */
		case 3: n->sign = 0x8000; break;			/* no such sign */
		case 4: n->digits[0] = 10000; break;		/* digit over 9999 */
		case 5: n->weight = -1; n->dscale = 3; break;	/* 0.0005, scale 3 */
		case 6: n->dscale = 16384; break;			/* scale past 16383 */
		case 7: n->weight = 32768; break;			/* 131076 digits */
		case 8: n->sign = 0xE000; break;			/* neither NaN nor an infinity */
		case 9: n->len = 0x7fffffff; break;			/* past the heap */
		case 10: r->price = (tmebox_numeric *) (uintptr_t) 0xffff0000u; break;
		case 11: iv->len = 16; break;				/* interval: not 20 bytes */
		case 12: iv->len = 0x7ffffff0; break;		/* interval past the heap */
		case 13: r->span = (tmebox_interval *) (uintptr_t) 0x20; break;	/* NULL guard */
		case 14: n->sign = 0xC000; n->weight = 77; n->len = 8; break;	/* NaN: fine */
		case 15: r->price_isnull = true;			/* a NULL member is never read */
			r->price = (tmebox_numeric *) (uintptr_t) 0xdeadbeefu; break;
	}
	return r;
$$;
SELECT what, pg_temp.sqlstate_of(format('SELECT forge(%s)', what)) AS sqlstate
FROM generate_series(0, 15) AS what;
SELECT forge(1);
SELECT forge(4);
SELECT forge(6);
SELECT forge(10);
SELECT forge(11);
SELECT forge(0) AS fine, forge(14) AS nan, forge(15) AS null_price;
CREATE FUNCTION forge_set(bad int) RETURNS TABLE (a numeric, b interval) LANGUAGE tmebox STRICT AS $$
	result_row_rows *s = calloc(1, sizeof *s + 3 * sizeof s->v[0]);
	s->n = 3;
	for (int k = 0; k < 3; k++)
	{
		s->v[k].a = tmebox_num_from_int64(k);
		s->v[k].b = tmebox_interval_make(0, k, 0);
	}
	if (bad == 1)
		s->v[2].a->digits[0] = 65535;
	if (bad == 2)
		s->v[1].b->len = 21;
	return s;
$$;
SELECT * FROM forge_set(0);
SELECT * FROM forge_set(1);
SELECT * FROM forge_set(2);
SELECT * FROM forge_set(0) LIMIT 1;	-- works again

---------------------------------------------------------------------------
-- 6. a module's own struct: checked member for member; ALTER TYPE
---------------------------------------------------------------------------
SELECT cardinality(tmebox.create_module('rownum', 'pricemod', $$
#include <stdbool.h>
#include <stdlib.h>
#include <tmebox.h>
struct item { int32_t id; const tmebox_numeric *price; const tmebox_interval *span; const tmebox_buf *note;
	bool id_isnull, price_isnull, span_isnull, note_isnull; };
struct item_f { int32_t id; double price; const tmebox_interval *span; const tmebox_buf *note;
	bool id_isnull, price_isnull, span_isnull, note_isnull; };
struct item_t { int32_t id; const tmebox_buf *price; const tmebox_interval *span; const tmebox_buf *note;
	bool id_isnull, price_isnull, span_isnull, note_isnull; };
tmebox_buf *price_text(const struct item *p)
{
	return p->price_isnull ? NULL : tmebox_num_to_text(p->price);
}
struct item *doubled(const struct item *p)
{
	struct item *r = malloc(sizeof *r);
	*r = *p;
	if (!p->price_isnull)
		r->price = tmebox_num_mul(p->price, tmebox_num_from_int64(2));
	return r;
}
double price_f(const struct item_f *p) { return p->price; }
int32_t price_t(const struct item_t *p) { return (int32_t) p->price->len; }
$$)) AS nexports;
CREATE FUNCTION mprice(priced) RETURNS text LANGUAGE tmebox STRICT AS 'pricemod.price_text';
CREATE FUNCTION mdoubled(priced) RETURNS priced LANGUAGE tmebox STRICT AS 'pricemod.doubled';
SELECT mprice(ROW(1, 2.50, NULL, NULL)::priced), mdoubled(ROW(1, 2.50, '1 day', 'x')::priced);
-- a double or a tmebox_buf where the column is numeric: 42P13
CREATE FUNCTION mprice_f(priced) RETURNS float8 LANGUAGE tmebox STRICT AS 'pricemod.price_f';
CREATE FUNCTION mprice_t(priced) RETURNS int4 LANGUAGE tmebox STRICT AS 'pricemod.price_t';
-- ALTER TYPE: the module's struct no longer matches (42P13), a body is
-- compiled again with the new struct
SELECT total(ROW(1, 2, NULL, NULL)::priced, 2);
ALTER TYPE priced ALTER ATTRIBUTE price TYPE float8;
SELECT mprice(ROW(1, 2.5, NULL, NULL)::priced);
SELECT mdoubled(ROW(1, 2.5, NULL, NULL)::priced);
SELECT same(ROW(1, 2.5, NULL, NULL)::priced);
CREATE FUNCTION mprice_f(priced) RETURNS float8 LANGUAGE tmebox STRICT AS 'pricemod.price_f';
SELECT mprice_f(ROW(1, 2.5, NULL, NULL)::priced);
ALTER TYPE priced ALTER ATTRIBUTE price TYPE numeric;
SELECT mprice(ROW(1, 2.5, NULL, NULL)::priced), total(ROW(1, 2, NULL, NULL)::priced, 2);
SELECT mprice_f(ROW(1, 2.5, NULL, NULL)::priced);
ALTER TYPE priced ALTER ATTRIBUTE span TYPE text;
SELECT mprice(ROW(1, 2.5, 'soon', NULL)::priced);

---------------------------------------------------------------------------
-- 7. still refused, with the hint naming what works: arrays of numeric
---------------------------------------------------------------------------
CREATE TYPE pricelist AS (id int4, prices numeric[]);
CREATE FUNCTION pricelist(p pricelist) RETURNS int4 LANGUAGE tmebox AS $$ return 0; $$;

RESET ROLE;

DROP OWNED BY regress_rownum CASCADE;
SELECT tmebox.drop_module('rownum', 'pricemod');
SELECT tmebox.drop_tenant('rownum');
DROP ROLE regress_rownum;
