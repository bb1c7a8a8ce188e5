-- numeric: PostgreSQL's base-10000 digits in the sandbox (tmebox.h's
-- tmebox_numeric) and the exact decimal API (tmebox_num_*): values and
-- their fields round-trip, arithmetic agrees with numeric's own operators
-- including NaN and the infinities, errors keep numeric's SQLSTATEs
-- (22012, 22003, 22P02, 0A000), a malformed value from the view is
-- refused as numeric_recv refuses one (22P03; 38000 when it lies outside
-- the heap), a domain's numeric(p,s) is applied to results, numeric[]
-- with NULL elements and SETOF numeric, the limits of numeric's range in
-- and out, and a huge result under the tenant's memory limit.  Values
-- travel in numeric's stored form (pl_numeric.c, no text): a value
-- through the sandbox and back is byte for byte numeric_in's of its text
-- (numeric_send and the header's size compared), also over 3000 random
-- values and 3000 random sets of fields a sandbox may return.
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

-- malformed values from the view: 22P03 (as numeric_recv), 22003 past the
-- range, 38000 outside the heap; every field of the struct is the
-- sandbox's to forge
CREATE FUNCTION num_forge(what int) RETURNS numeric LANGUAGE tmebox STRICT AS $$
	tmebox_numeric *r = calloc(1, 8 + 8 + 2 * 40000);
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
		case 13: r->sign = 0xE000; break;			/* neither NaN nor an infinity */
		case 14: r->sign = 0x2000; break;			/* a short header's sign bit */
		case 15: r->len = 8 + 2 * 40000; r->digits[0] = 0;	/* 40000 digits: */
			r->digits[39999] = 5; r->weight = 39999; break;	/* 5, padded */
		case 16: r->len = 14; r->digits[0] = 0; r->digits[1] = 0;
			r->digits[2] = 5; r->weight = 2; break;	/* 5 after two zero digits */
		case 17: r->sign = 0x4000; r->digits[0] = 0; r->dscale = 2; break;	/* -0.00 */
		case 18: r->len = 12; r->digits[0] = 0; r->digits[1] = 5;
			r->weight = 32768; break;				/* 5e131068: weight 32767 */
		case 19: r->digits[0] = 1000; r->weight = -4096; r->dscale = 16383;
			break;									/* 1e-16381 */
		case 20: r->digits[0] = 1; r->weight = -4096; r->dscale = 16383;
			break;									/* 1e-16384: past the scale */
		case 21: r->len = 14; r->digits[1] = 0; r->digits[2] = 0; break;	/* 5, two zeros */
		case 22: r->weight = -2147483647 - 1; break;	/* 5e-8589934592 */
		case 23: r->digits[0] = 0xFFFF; break;		/* digit 65535 */
		case 24: r->len = 8; r->sign = 0x4000; r->dscale = 16383; break;	/* 0.000... */
		case 25: r->sign = 0xF000; r->len = 0x7ffffff0; break;	/* -Infinity past the heap */
	}
	return r;
$$;
SELECT what, pg_temp.sqlstate_of(format('SELECT num_forge(%s)', what)) AS sqlstate
FROM generate_series(1, 25) AS what;
SELECT num_forge(8) AS zero, num_forge(9) AS nan, num_forge(11) AS null_result;
SELECT num_forge(4);
SELECT num_forge(5);
SELECT num_forge(7);
SELECT num_forge(15);
SELECT num_forge(0) AS works_again;
-- the accepted ones are numeric_in's values, zeros stripped, zero positive
SELECT what, v = e AS equal, numeric_send(v) = numeric_send(e) AS same_fields,
	pg_column_size(v) = pg_column_size(e) AS same_size
FROM (VALUES (8, num_forge(8), '0'::numeric), (16, num_forge(16), '5'),
	(17, num_forge(17), '0.00'), (18, num_forge(18), ('5' || repeat('0', 131068))::numeric),
	(19, num_forge(19), ('0.' || repeat('0', 16380) || '100')::numeric),
	(21, num_forge(21), '5'), (24, num_forge(24), ('0.' || repeat('0', 16383))::numeric))
	AS t(what, v, e);

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

-- numeric's stored form both ways (no text): a value through the
-- sandbox and back is numeric_in's value of its text, field for field
-- (numeric_send) and in the header form make_result picks (its size:
-- the 2-byte header for scale <= 63 and weight -64..63); stored values
-- arrive with their packed 1-byte varlena header
CREATE FUNCTION num_arr_copy(a numeric[]) RETURNS numeric[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_numeric *r = tmebox_array_numeric_new(a->n);
	for (uint32_t i = 0; i < a->n; i++)
		r->v[i] = a->v[i] ? tmebox_num_add(a->v[i], tmebox_num_from_int64(0)) : NULL;
	return r;
$$;
CREATE FUNCTION num_unnest(a numeric[]) RETURNS SETOF numeric LANGUAGE tmebox STRICT AS $$
	tmebox_array_numeric *r = tmebox_array_numeric_new(a->n);
	for (uint32_t i = 0; i < a->n; i++)
		r->v[i] = (tmebox_numeric *) a->v[i];
	return r;
$$;
CREATE TEMP TABLE edges (v numeric);
INSERT INTO edges VALUES (0), ('-0'), (0.000), (1), (-1), (9999), (10000), (-12.50),
	(0.0001), (0.00010000), (100000000), (123456789.123456789), (-0.00000001),
	(('0.' || repeat('0', 58) || '12345')::numeric), (('0.' || repeat('0', 59) || '12345')::numeric),
	(1e252), (-1e255), (1e256), (1e-12), (1e-300), (('1' || repeat('0', 255) || '.5')::numeric),
	(repeat('9', 131072)::numeric), (('-' || repeat('9', 131072))::numeric),
	(('0.' || repeat('7', 16383))::numeric), (('-0.' || repeat('0', 16382) || '1')::numeric),
	('NaN'), ('Infinity'), ('-Infinity');
SELECT left(v::text, 20) AS v, num_copy(v) = v AS equal,
	numeric_send(num_copy(v)) = numeric_send(v::text::numeric) AS same_fields,
	pg_column_size(num_copy(v)) - length(numeric_send(v)) + 2 AS header,
	pg_column_size(num_copy(v)) = pg_column_size(v::text::numeric) AS same_size,
	num_fields(v) = num_fields(v::text::numeric) AS same_argument
FROM edges;
SELECT array_send(num_arr_copy(a)) = array_send(a) AS same_array, num_arr_copy(a)
FROM (VALUES ('{1.5, NULL, -0, NaN, -Infinity, 1e-20, NULL}'::numeric[]), ('{}'), ('{NULL}'))
	AS t(a);
SELECT count(*) AS rows, bool_and(numeric_send(u.v) = numeric_send(e.v)) AS same
FROM num_unnest(ARRAY(SELECT v FROM edges)) WITH ORDINALITY AS u(v, o)
	JOIN unnest(ARRAY(SELECT v FROM edges)) WITH ORDINALITY AS e(v, o) USING (o);

-- 3000 random values (many zero digits, exponents -300..300) through an
-- argument and back, alone, in arrays with NULLs and as SETOF rows
SELECT setseed(0.25);
CREATE TEMP TABLE fuzz_vals AS
SELECT i, (CASE WHEN random() < 0.5 THEN '-' ELSE '' END || '0' ||
	substr(d, 1, (random() * 30)::int) || '.' || substr(d, 31, (random() * 34)::int) || 'e' ||
	CASE WHEN random() < 0.5 THEN (random() * 20)::int - 10 ELSE (random() * 600)::int - 300 END
	)::numeric AS v
FROM generate_series(1, 3000) AS i,
	LATERAL (SELECT translate(md5(i::text) || md5((-i)::text), 'abcdef', '000000') AS d) AS x;
SELECT count(*) AS values,
	count(*) FILTER (WHERE numeric_send(num_copy(v)) <> numeric_send(v::text::numeric) OR
		pg_column_size(num_copy(v)) <> pg_column_size(v::text::numeric)) AS differ,
	count(*) FILTER (WHERE pg_column_size(num_copy(v)) - length(numeric_send(v)) = -2) > 500 AS short,
	count(*) FILTER (WHERE pg_column_size(num_copy(v)) - length(numeric_send(v)) = 0) > 500 AS long
FROM fuzz_vals;
SELECT count(*) AS arrays, count(*) FILTER (WHERE array_send(num_arr_copy(a)) <> array_send(a)) AS differ,
	sum((SELECT count(*) FROM num_unnest(a) WITH ORDINALITY AS u(v, o)
		JOIN unnest(a) WITH ORDINALITY AS e(v, o) USING (o)
		WHERE u.v IS DISTINCT FROM e.v OR numeric_send(u.v) <> numeric_send(e.v))) AS rows_differ
FROM (SELECT array_agg(CASE WHEN i % 7 = 0 THEN NULL ELSE v END ORDER BY i) AS a
	FROM fuzz_vals GROUP BY i % 60) AS t;

-- 3000 random sets of fields as a sandbox may return them (zero digits
-- anywhere, weights -100..100, a scale at least as long as the digits):
-- each is the value numeric_in reads from its digits' text
CREATE FUNCTION num_build(sign int, dscale int, weight int, digits int[]) RETURNS numeric
LANGUAGE tmebox STRICT AS $$
	tmebox_numeric *r = malloc(sizeof(tmebox_numeric) + 2 * digits->n);
	r->len = 8 + 2 * digits->n;
	r->sign = (uint16_t) sign;
	r->dscale = (uint16_t) dscale;
	r->weight = weight;
	for (uint32_t i = 0; i < digits->n; i++)
		r->digits[i] = (uint16_t) digits->v[i];
	return r;
$$;
CREATE TEMP TABLE fuzz_fields AS
SELECT i, sign, weight, digits, greatest(0, 4 * (cardinality(digits) - 1 - weight)) +
	(random() * 4)::int AS dscale
FROM (SELECT i, CASE WHEN random() < 0.5 THEN 16384 ELSE 0 END AS sign,
		(random() * 200)::int - 100 AS weight,
		ARRAY(SELECT CASE WHEN random() < 0.3 THEN 0 ELSE (random() * 9999)::int END
			  FROM generate_series(1, 1 + (random() * 12)::int + i * 0)) AS digits
	  FROM generate_series(1, 3000) AS i) AS t;
SELECT count(*) AS results,
	count(*) FILTER (WHERE numeric_send(r) <> numeric_send(e) OR
		pg_column_size(r) <> pg_column_size(e)) AS differ
FROM (SELECT num_build(sign, dscale, weight, digits) AS r,
		trunc((CASE WHEN sign = 16384 THEN '-' ELSE '' END || '0.' ||
			(SELECT string_agg(lpad(d::text, 4, '0'), '' ORDER BY o)
			 FROM unnest(digits) WITH ORDINALITY AS u(d, o)) ||
			'e' || 4 * (weight + 1))::numeric, dscale) AS e
	  FROM fuzz_fields) AS t;

-- and 3000 sets of garbage fields (any sign word, digits up to 10050,
-- weights and scales anywhere): a clean 22P03 or 22003, or a well-formed
-- value, never anything else (the result is checked as the function
-- returns it: a plpgsql variable would hold it with a packed header)
CREATE FUNCTION pg_temp.well_formed(x numeric) RETURNS text LANGUAGE sql AS $$
	SELECT CASE WHEN numeric_send(x) = numeric_send(x::text::numeric) AND
		pg_column_size(x) = pg_column_size(x::text::numeric) THEN 'well-formed'
		ELSE 'MALFORMED' END
$$;
CREATE FUNCTION pg_temp.fuzz_garbage(n int) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	signs int[] := '{0, 16384, 49152, 53248, 61440, 32768, 8192, 57344, 1}';
	sign int;
	dscale int;
	weight int;
	digits int[];
BEGIN
	FOR i IN 1..n LOOP
		sign := signs[1 + (random() * 8)::int];
		dscale := CASE WHEN random() < 0.9 THEN (random() * 300)::int
			ELSE (random() * 17000)::int END;
		weight := CASE WHEN random() < 0.9 THEN (random() * 200)::int - 100
			ELSE (random() * 80000)::int - 40000 END;
		digits := ARRAY(SELECT CASE WHEN random() < 0.3 THEN 0 ELSE (random() * 10050)::int END
						FROM generate_series(1, (random() * 10)::int + i * 0));
		BEGIN
			RETURN NEXT pg_temp.well_formed(num_build(sign, dscale, weight, digits));
		EXCEPTION WHEN OTHERS THEN
			RETURN NEXT SQLSTATE;
		END;
	END LOOP;
END
$$;
SELECT o AS outcome, count(*) > 20 AS often FROM pg_temp.fuzz_garbage(3000) AS o GROUP BY o ORDER BY o;

-- a domain over numeric(6,2)[]: each element rounded, 22003 past 6 digits
CREATE DOMAIN price_list AS numeric(6,2)[];
CREATE FUNCTION prices_of(a numeric[]) RETURNS price_list LANGUAGE tmebox STRICT AS $$
	tmebox_array_numeric *r = tmebox_array_numeric_new(a->n);
	for (uint32_t i = 0; i < a->n; i++)
		r->v[i] = (tmebox_numeric *) a->v[i];
	return r;
$$;
SELECT prices_of('{1.005, NULL, -2.499, 0}'), prices_of('{}');
SELECT prices_of('{12345.5}');

RESET ROLE;
DROP DOMAIN price CASCADE;
DROP DOMAIN price_list CASCADE;
SELECT tmebox.drop_tenant('numerics');
DROP OWNED BY regress_numeric;
DROP ROLE regress_numeric;
