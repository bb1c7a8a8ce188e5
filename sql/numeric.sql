-- numeric: PostgreSQL's base-10000 digits in the sandbox (tmebox.h's
-- tmebox_numeric) and the exact decimal API (tmebox_num_*): values and
-- their fields round-trip, arithmetic agrees with numeric's own operators
-- including NaN and the infinities, errors keep numeric's SQLSTATEs
-- (22012, 22003, 22P02, 0A000), a malformed value from the view is an
-- invalid result (38000), a domain's numeric(p,s) is applied to results,
-- numeric[] with NULL elements and SETOF numeric, the limits of numeric's
-- range in and out, and a huge result under the tenant's memory limit.
\pset null '(null)'

CREATE ROLE regress_numeric;
GRANT USAGE ON LANGUAGE tmebox TO regress_numeric;
GRANT USAGE ON SCHEMA tmebox TO regress_numeric;
GRANT CREATE ON SCHEMA public TO regress_numeric;
SELECT tmebox.create_tenant('numerics', owner => 'regress_numeric',
                            memory_limit => '64MB') > 0 AS created;

CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

SET ROLE regress_numeric;

-- a numeric argument's fields, and a copy of its bytes as the result
CREATE FUNCTION num_fields(n numeric) RETURNS text LANGUAGE tmebox STRICT AS $$
	char		out[200];
	int			k = snprintf(out, sizeof out, "sign=%04x weight=%d dscale=%u digits=",
							 n->sign, n->weight, n->dscale);
	for (uint32_t i = 0; i < TMEBOX_NUMERIC_NDIGITS(n) && k < 180; i++)
		k += snprintf(out + k, sizeof out - k, i ? ",%u" : "%u", n->digits[i]);
	return tmebox_buf_from_cstr(out);
$$;
CREATE FUNCTION num_copy(n numeric) RETURNS numeric LANGUAGE tmebox STRICT AS $$
	tmebox_numeric *r = malloc(sizeof(uint32_t) + n->len);
	memcpy(r, n, sizeof(uint32_t) + n->len);
	return r;
$$;
SELECT v, num_fields(v), num_copy(v)::text = v::text AS same
FROM (VALUES (0::numeric), (0.000), (-1.5), (12345678.9), (1.500), (0.0001),
	(1e-20), (-99999999), (1e100), ('NaN'), ('Infinity'), ('-Infinity')) AS t(v);
SELECT num_copy(NULL) AS strict_null;

-- the decimal API against numeric's operators
CREATE FUNCTION num_add(a numeric, b numeric) RETURNS numeric LANGUAGE tmebox STRICT
AS $$ return tmebox_num_add(a, b); $$;
CREATE FUNCTION num_sub(a numeric, b numeric) RETURNS numeric LANGUAGE tmebox STRICT
AS $$ return tmebox_num_sub(a, b); $$;
CREATE FUNCTION num_mul(a numeric, b numeric) RETURNS numeric LANGUAGE tmebox STRICT
AS $$ return tmebox_num_mul(a, b); $$;
CREATE FUNCTION num_div(a numeric, b numeric, scale int, mode int) RETURNS numeric
LANGUAGE tmebox STRICT AS $$ return tmebox_num_div(a, b, scale, (tmebox_rounding) mode); $$;
CREATE FUNCTION num_cmp(a numeric, b numeric) RETURNS int LANGUAGE tmebox STRICT
AS $$ return tmebox_num_cmp(a, b); $$;
CREATE FUNCTION num_round(a numeric, s int) RETURNS numeric LANGUAGE tmebox STRICT
AS $$ return tmebox_num_round(a, s); $$;
CREATE FUNCTION num_trunc(a numeric, s int) RETURNS numeric LANGUAGE tmebox STRICT
AS $$ return tmebox_num_trunc(a, s); $$;
CREATE FUNCTION num_int8(a numeric) RETURNS int8 LANGUAGE tmebox STRICT
AS $$ return tmebox_num_to_int64(a); $$;
CREATE FUNCTION int8_num(a int8) RETURNS numeric LANGUAGE tmebox STRICT
AS $$ return tmebox_num_from_int64(a); $$;
CREATE FUNCTION num_parse(s text) RETURNS numeric LANGUAGE tmebox STRICT
AS $$ return tmebox_num_parse(s->data); $$;
CREATE FUNCTION num_text(a numeric) RETURNS text LANGUAGE tmebox STRICT
AS $$ return tmebox_num_to_text(a); $$;

CREATE TEMP TABLE pairs (a numeric, b numeric);
INSERT INTO pairs VALUES (1.5, 2.25), (-1.5, 2.25), (0.1, 0.2), (1, 3),
	(123456789012345678901234567890.123, -0.000000000000000000001),
	(0, -7.50), (99999999, 1), (-2, -3), ('NaN', 1), (1, 'NaN'),
	('Infinity', 1), ('Infinity', '-Infinity'), ('-Infinity', '-Infinity'),
	('Infinity', 0), (5, 'Infinity'), ('-Infinity', -2.5);
SELECT a, b,
	num_add(a, b)::text = (a + b)::text AS add,
	num_sub(a, b)::text = (a - b)::text AS sub,
	num_mul(a, b)::text = (a * b)::text AS mul,
	num_cmp(a, b) = (CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END) AS cmp
FROM pairs;
SELECT a, b, num_add(a, b), num_sub(a, b), num_mul(a, b) FROM pairs
WHERE a = 'NaN' OR b = 'NaN' OR a IN ('Infinity', '-Infinity');
-- a division's scale and rounding are the caller's: half up, half even,
-- toward zero, floor, ceiling
SELECT m, num_div(2, 3, 5, m) AS "2/3", num_div(-2, 3, 0, m) AS "-2/3",
	num_div(5, 2, 0, m) AS "5/2", num_div(-5, 2, 0, m) AS "-5/2"
FROM generate_series(0, 4) AS m;
SELECT num_div(1, 3, 30, 0), num_div(1, 7, 0, 0), num_div(22, 7, 1000, 0) =
	('22.' || repeat('0', 1000))::numeric / 7 AS long_division,
	num_div(22, 7, 999, 2) = trunc(('22.' || repeat('0', 1000))::numeric / 7, 999) AS truncated,
	num_div(1e-100, 3e50, 200, 0) =
	round(('1e-100'::numeric + ('0.' || repeat('0', 300))::numeric) / 3e50, 200) AS tiny,
	num_div(('1' || repeat('0', 400))::numeric, ('3' || repeat('7', 200))::numeric, 50, 0) =
	round(('1' || repeat('0', 400) || '.' || repeat('0', 60))::numeric /
		('3' || repeat('7', 200))::numeric, 50) AS long_divisor,
	num_div('Infinity', -2, 2, 0), num_div(3, '-Infinity', 2, 0), num_div('NaN', 0, 2, 0);
SELECT a, s, num_round(a, s) = round(a, s) AS round, num_trunc(a, s) = trunc(a, s) AS trunc,
	num_round(a, s), num_trunc(a, s)
FROM (VALUES (2.5), (-2.5), (1234.5678), (-0.0049), (9999.9999), ('NaN'::numeric),
	('-Infinity')) AS v(a),
	(VALUES (0), (2), (-2), (6)) AS t(s)
WHERE a <> 1234.5678 OR s <> 6;
SELECT num_int8(9223372036854775807.4), num_int8(-9223372036854775808),
	num_int8(-2.5), int8_num(-9223372036854775808), int8_num(0);
SELECT num_parse(' -1.250e2 '), num_parse('1.5E-3'), num_parse('+inf'),
	num_parse('nan'), num_text(1.10), num_text(-0.001), num_text('-Infinity'),
	num_text(1e30);

-- errors keep numeric's SQLSTATEs and messages
SELECT num_div(1, 0, 2, 0);
SELECT pg_temp.sqlstate_of($$SELECT num_div('Infinity', 0, 2, 0)$$) AS inf_by_zero,
	pg_temp.sqlstate_of($$SELECT num_div(1, 2, 16384, 0)$$) AS scale_too_big,
	pg_temp.sqlstate_of($$SELECT num_div(1, 2, 2, 9)$$) AS bad_mode,
	pg_temp.sqlstate_of($$SELECT num_int8(9223372036854775807.5)$$) AS int8_range,
	pg_temp.sqlstate_of($$SELECT num_int8('NaN')$$) AS nan_to_int8,
	pg_temp.sqlstate_of($$SELECT num_int8('Infinity')$$) AS inf_to_int8,
	pg_temp.sqlstate_of($$SELECT num_parse('1.2.3')$$) AS bad_text,
	pg_temp.sqlstate_of($$SELECT num_parse('1e1001')$$) AS exponent;
SELECT num_parse('12a');
-- the function works again after each error
SELECT num_div(1, 8, 3, 0);

-- numeric's limits: 131072 digits before the point, 16383 after
SELECT length(num_copy(repeat('9', 131072)::numeric)::text) AS digits_before,
	length(num_copy(('0.' || repeat('7', 16383))::numeric)::text) AS digits_after,
	num_add(repeat('9', 131072)::numeric, ('0.' || repeat('7', 16383))::numeric) =
	repeat('9', 131072)::numeric + ('0.' || repeat('7', 16383))::numeric AS widest;
SELECT num_add(repeat('9', 131072)::numeric, 1);
SELECT pg_temp.sqlstate_of($$SELECT num_mul(1e70000, 1e70000)$$) AS mul_overflow,
	pg_temp.sqlstate_of($$SELECT num_mul(('0.' || repeat('1', 10000))::numeric,
		('0.' || repeat('1', 10000))::numeric)$$) AS mul_scale_capped;
SELECT length(num_mul(('0.' || repeat('1', 10000))::numeric,
	('0.' || repeat('1', 10000))::numeric)::text) AS capped_at_16383;

-- malformed values from the view: 38000 (invalid result), 22003 past the
-- range; every field of the struct is the sandbox's to forge
CREATE FUNCTION num_forge(what int) RETURNS numeric LANGUAGE tmebox STRICT AS $$
	tmebox_numeric *r = calloc(1, 64);
	r->len = 10;
	r->digits[0] = 5;
	switch (what)
	{
		case 1: r->len = 9; break;					/* half a digit */
		case 2: r->len = 3; break;					/* shorter than the header */
		case 3: r->sign = 0x8000; break;			/* no such sign */
		case 4: r->digits[0] = 10000; break;		/* digit over 9999 */
		case 5: r->weight = -1; r->dscale = 3; break;	/* 0.0005, scale 3 */
		case 6: r->dscale = 16384; break;			/* scale past 16383 */
		case 7: r->weight = 32768; break;			/* 131076 digits */
		case 8: r->weight = -2147483647 - 1; r->digits[0] = 0; break; /* zero */
		case 9: r->sign = 0xC000; r->weight = 77; break;	/* NaN: rest ignored */
		case 10: r->len = 0x7fffffff; break;		/* past the heap */
		case 11: return NULL;
		case 12: r->weight = 2147483647; r->digits[0] = 0; r->len = 12;
			r->digits[1] = 7; break;				/* weight wraps: 7e... */
	}
	return r;
$$;
SELECT what, pg_temp.sqlstate_of(format('SELECT num_forge(%s)', what)) AS sqlstate
FROM generate_series(1, 12) AS what;
SELECT num_forge(8) AS zero, num_forge(9) AS nan, num_forge(11) AS null_result;
SELECT num_forge(4);
SELECT num_forge(5);
SELECT num_forge(7);
SELECT num_forge(0) AS works_again;

-- domains: the domain's numeric(p,s) is applied to a result as a cast
-- to the domain applies it, then its constraints
CREATE DOMAIN price AS numeric(8,2) CHECK (VALUE >= 0);
CREATE FUNCTION price_of(a numeric) RETURNS price LANGUAGE tmebox STRICT
AS $$ return tmebox_num_add(a, a); $$;
CREATE FUNCTION price_half(p price) RETURNS numeric LANGUAGE tmebox STRICT
AS $$ return tmebox_num_div(p, tmebox_num_from_int64(2), 4, TMEBOX_ROUND_HALF_EVEN); $$;
SELECT price_of(1.0025), price_of(0.5), pg_typeof(price_of(1)), price_half(3.01);
SELECT price_of(500000);
SELECT price_of(-1);
SELECT pg_temp.sqlstate_of($$SELECT price_of(1e10)$$) AS too_many_digits,
	pg_temp.sqlstate_of($$SELECT price_of(-0.001)$$) AS rounded_to_zero_ok;

-- numeric[]: NULL elements both ways, empty arrays, SETOF numeric
CREATE FUNCTION num_sum(a numeric[]) RETURNS numeric LANGUAGE tmebox STRICT AS $$
	tmebox_numeric *s = tmebox_num_from_int64(0);
	for (uint32_t i = 0; i < a->n; i++)
		if (a->v[i] != NULL)
		{
			tmebox_numeric *t = tmebox_num_add(s, a->v[i]);
			free(s);
			s = t;
		}
	return s;
$$;
CREATE FUNCTION num_halves(a numeric[]) RETURNS numeric[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_numeric *r = tmebox_array_numeric_new(a->n);
	tmebox_numeric *two = tmebox_num_from_int64(2);
	for (uint32_t i = 0; i < a->n; i++)
		r->v[i] = a->v[i] ? tmebox_num_div(a->v[i], two, a->v[i]->dscale + 1,
										   TMEBOX_ROUND_HALF_UP) : NULL;
	return r;
$$;
CREATE FUNCTION num_steps(a numeric, b numeric, n int) RETURNS SETOF numeric
LANGUAGE tmebox STRICT AS $$
	tmebox_array_numeric *r = tmebox_array_numeric_new(n);
	r->v[0] = tmebox_num_add(a, tmebox_num_from_int64(0));
	for (int i = 1; i < n; i++)
		r->v[i] = i % 3 == 2 ? NULL : tmebox_num_add(r->v[i - 1] ? r->v[i - 1] : r->v[i - 2], b);
	return r;
$$;
SELECT num_sum('{1.5, NULL, 2.25, -0.75}'), num_sum('{}'), num_sum('{NaN, 1}'),
	num_halves('{1, NULL, 0.5, -Infinity}'), num_halves('{}');
SELECT * FROM num_steps(0.1, 0.25, 6);
SELECT pg_typeof(num_halves('{1}')), num_sum(ARRAY[1e100, 1e-100]);

-- a huge result is bounded by the tenant's memory limit (64MB): 53200,
-- then the function works again
CREATE FUNCTION num_many(n int) RETURNS numeric[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_numeric *r = tmebox_array_numeric_new(n);
	tmebox_numeric *big = tmebox_num_parse("1234567890123456789012345678901234567890");
	for (int i = 0; i < n; i++)
		r->v[i] = tmebox_num_add(big, tmebox_num_from_int64(i));
	return r;
$$;
SELECT cardinality(num_many(1000)) AS n, (num_many(1000))[1000] AS last;
SELECT pg_temp.sqlstate_of($$SELECT num_many(2000000)$$) AS over_limit;
SELECT (num_many(3))[3] AS works_again;

RESET ROLE;
DROP DOMAIN price CASCADE;
SELECT tmebox.drop_tenant('numerics');
DROP OWNED BY regress_numeric;
DROP ROLE regress_numeric;
