-- arrays: NULL elements and several dimensions for the arrays of scalars
-- (int2[], int4[], int8[], float4[], float8[], bool[]) in and out: the
-- shape (tmebox.h's tmebox_array_isnull / _ndim / _dim / _lbound,
-- tmebox_array_set_null / _set_dims), for functions declared with SET
-- tmebox.array_nulls = on; any other function gets the errors it got
-- before shapes (22004, 2202E), whatever the session's setting; a
-- result's shape is checked by the host (38000 when it does not match its
-- elements, 54000 past PostgreSQL's bounds); empty arrays; SETOF with
-- NULL rows; a huge result under the tenant's memory limit (53200).
\pset null '(null)'

CREATE ROLE regress_arrays;
GRANT USAGE ON LANGUAGE tmebox TO regress_arrays;
GRANT USAGE ON SCHEMA tmebox TO regress_arrays;
GRANT CREATE ON SCHEMA public TO regress_arrays;
SELECT tmebox.create_tenant('arrays', owner => 'regress_arrays',
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

SET ROLE regress_arrays;

-- what a function sees: the shape of each array type
CREATE FUNCTION shape_i32(a int4[]) RETURNS text LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	char		out[300];
	int			k = snprintf(out, sizeof out, "n=%u ndim=%d", a->n, tmebox_array_ndim(a));
	for (int d = 0; d < tmebox_array_ndim(a); d++)
		k += snprintf(out + k, sizeof out - k, " [%d:%d]", tmebox_array_lbound(a, d),
					  tmebox_array_lbound(a, d) + tmebox_array_dim(a, d) - 1);
	k += snprintf(out + k, sizeof out - k, " v=");
	for (uint32_t i = 0; i < a->n && k < 280; i++)
		k += snprintf(out + k, sizeof out - k, tmebox_array_isnull(a, i) ? "%sN" : "%s%d",
					  i ? "," : "", a->v[i]);
	return tmebox_buf_from_cstr(out);
$$;
SELECT a, shape_i32(a) FROM (VALUES ('{}'::int4[]), ('{1,2,3}'), ('{1,NULL,3}'),
	('{NULL}'), ('{{1,2,3},{4,5,6}}'), ('[0:1][-1:1]={{1,2,3},{4,NULL,6}}'),
	('[5:6]={7,8}'), ('{{{1},{2}},{{3},{4}}}'),
	('{{{{{{1,2}}}}}}')) AS t(a);

-- the other element types, NULLs counted and skipped
CREATE FUNCTION sum_i16(a int2[]) RETURNS text LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	int64_t s = 0; int nulls = 0; char out[64];
	for (uint32_t i = 0; i < a->n; i++)
		if (tmebox_array_isnull(a, i)) nulls++; else s += a->v[i];
	snprintf(out, sizeof out, "sum=%lld nulls=%d", (long long) s, nulls);
	return tmebox_buf_from_cstr(out);
$$;
CREATE FUNCTION sum_i64(a int8[]) RETURNS text LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	int64_t s = 0; int nulls = 0; char out[64];
	for (uint32_t i = 0; i < a->n; i++)
		if (tmebox_array_isnull(a, i)) nulls++; else s += a->v[i];
	snprintf(out, sizeof out, "sum=%lld nulls=%d", (long long) s, nulls);
	return tmebox_buf_from_cstr(out);
$$;
CREATE FUNCTION sum_f32(a float4[]) RETURNS text LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	double s = 0; int nulls = 0; char out[64];
	for (uint32_t i = 0; i < a->n; i++)
		if (tmebox_array_isnull(a, i)) nulls++; else s += a->v[i];
	snprintf(out, sizeof out, "sum=%g nulls=%d", s, nulls);
	return tmebox_buf_from_cstr(out);
$$;
CREATE FUNCTION sum_f64(a float8[]) RETURNS text LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	double s = 0; int nulls = 0; char out[64];
	for (uint32_t i = 0; i < a->n; i++)
		if (tmebox_array_isnull(a, i)) nulls++; else s += a->v[i];
	snprintf(out, sizeof out, "sum=%g nulls=%d", s, nulls);
	return tmebox_buf_from_cstr(out);
$$;
CREATE FUNCTION count_bool(a bool[]) RETURNS text LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	int t = 0, f = 0, nulls = 0; char out[64];
	for (uint32_t i = 0; i < a->n; i++)
		if (tmebox_array_isnull(a, i)) nulls++; else if (a->v[i]) t++; else f++;
	snprintf(out, sizeof out, "t=%d f=%d nulls=%d dims=%d", t, f, nulls, tmebox_array_ndim(a));
	return tmebox_buf_from_cstr(out);
$$;
SELECT sum_i16('{1,NULL,-32768}'), sum_i64('{{9223372036854775807,NULL},{NULL,-1}}'),
	sum_f32('{1.5,NULL}'), sum_f64('[3:4]={NULL,2.25}'), count_bool('{{t,NULL},{f,t}}'),
	count_bool('{}'), sum_i16('{NULL,NULL}');

-- results: NULLs and dimensions made in the sandbox
CREATE FUNCTION grid(rows int, cols int, lb int) RETURNS int4[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_i32 *r = tmebox_array_i32_new(rows * cols);
	int32_t		dims[2] = {rows, cols}, lbs[2] = {lb, 1};
	for (int i = 0; i < rows * cols; i++)
		r->v[i] = i + 1;
	tmebox_array_set_dims(r, 2, dims, lbs);
	for (int i = 2; i < rows * cols; i += 3)
		tmebox_array_set_null(r, i);
	return r;
$$;
SELECT grid(2, 3, 1), grid(3, 2, -1), grid(1, 1, 7), grid(0, 3, 1), grid(2, 0, 1);
SELECT array_dims(grid(2, 3, 0)), (grid(2, 3, 1))[2][3] AS null_cell, (grid(2, 3, 1))[2][2];
-- a shape survives a round trip: the argument's own array returned copied
CREATE FUNCTION same_f64(a float8[]) RETURNS float8[] LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	tmebox_array_f64 *r = tmebox_array_f64_new(a->n);
	memcpy(r->v, a->v, a->n * sizeof(double));
	if (tmebox_array_ndim(a) > 0)
	{
		int32_t		dims[6], lbs[6];
		for (int d = 0; d < tmebox_array_ndim(a); d++)
		{
			dims[d] = tmebox_array_dim(a, d);
			lbs[d] = tmebox_array_lbound(a, d);
		}
		tmebox_array_set_dims(r, tmebox_array_ndim(a), dims, lbs);
	}
	for (uint32_t i = 0; i < a->n; i++)
		if (tmebox_array_isnull(a, i))
			tmebox_array_set_null(r, i);
	return r;
$$;
SELECT a, same_f64(a) IS NOT DISTINCT FROM a AS same, same_f64(a)
FROM (VALUES ('{}'::float8[]), ('{1.5}'), ('{NULL}'), ('[-3:-2]={NULL,-0.5}'),
	('{{1,NULL},{NULL,4}}'), ('{{{{{{1,2}}},{{{3,4}}}}}}')) AS t(a);
CREATE FUNCTION flags(a bool[]) RETURNS bool[] LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	tmebox_array_bool *r = tmebox_array_bool_new(a->n);
	for (uint32_t i = 0; i < a->n; i++)
		if (tmebox_array_isnull(a, i))
			tmebox_array_set_null(r, i);
		else
			r->v[i] = !a->v[i];
	return r;
$$;
CREATE FUNCTION shorts(n int) RETURNS int2[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_i16 *r = tmebox_array_i16_new(n);
	for (int i = 0; i < n; i++)
		if (i % 2) tmebox_array_set_null(r, i); else r->v[i] = (int16_t) -i;
	return r;
$$;
CREATE FUNCTION halves(a float4[]) RETURNS float4[] LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	tmebox_array_f32 *r = tmebox_array_f32_new(a->n);
	for (uint32_t i = 0; i < a->n; i++)
		if (tmebox_array_isnull(a, i)) tmebox_array_set_null(r, i); else r->v[i] = a->v[i] / 2;
	return r;
$$;
CREATE FUNCTION bigs(a int8[]) RETURNS int8[] LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	tmebox_array_i64 *r = tmebox_array_i64_new(a->n);
	for (uint32_t i = 0; i < a->n; i++)
		if (tmebox_array_isnull(a, i)) tmebox_array_set_null(r, i); else r->v[i] = a->v[i] * 2;
	return r;
$$;
SELECT flags('{t,NULL,f}'), shorts(5), shorts(0), halves('{NULL,3}'), bigs('{NULL}'),
	pg_typeof(shorts(1));

-- a function that never looks at the shape (as every function before
-- shapes) and does not declare tmebox.array_nulls: NULL elements (22004)
-- and several dimensions (2202E) are refused, never read as 0 or as a
-- list; a lower bound other than 1 changes nothing it reads
CREATE FUNCTION plain_sum(a int4[]) RETURNS int8 LANGUAGE tmebox STRICT AS $$
	int64_t s = 0;
	for (uint32_t i = 0; i < a->n; i++)
		s += a->v[i] * (int64_t) (i + 1);
	return s;
$$;
SELECT plain_sum('{1,2,3}'), plain_sum('[0:2]={1,2,3}'), plain_sum('{}');
SELECT plain_sum('{1,NULL,3}');
SELECT plain_sum('{{1,2},{3,4}}');
-- the same for arrays of buffers: NULL elements are NULL pointers (as
-- always), several dimensions are refused
CREATE FUNCTION plain_join(a text[]) RETURNS text LANGUAGE tmebox STRICT AS $$
	char		out[100];
	int			k = 0;
	for (uint32_t i = 0; i < a->n && k < 80; i++)
		k += snprintf(out + k, sizeof out - k, "%s%s", i ? "," : "", a->v[i] ? a->v[i]->data : "NULL");
	out[k] = 0;
	return tmebox_buf_from_cstr(out);
$$;
SELECT plain_join('{a,NULL,c}');
SELECT plain_join('{{a,b},{c,d}}');
SELECT pg_temp.sqlstate_of($$SELECT plain_join('{{{x}}}')$$) AS text_3d,
	pg_temp.sqlstate_of($$SELECT sum_i16('{{1}}') IS NOT NULL$$) AS declared;
-- the session's setting changes nothing: only the function's own clause
SET tmebox.array_nulls = on;
SELECT pg_temp.sqlstate_of($$SELECT plain_sum('{1,NULL}')$$) AS null_elem,
	pg_temp.sqlstate_of($$SELECT plain_sum('{{1},{2}}')$$) AS two_dims,
	pg_temp.sqlstate_of($$SELECT plain_join('{{a},{b}}')$$) AS text_2d;
RESET tmebox.array_nulls;
-- nor does a SET clause that turns it off; ALTER FUNCTION ... SET turns it on
CREATE FUNCTION off_sum(a int4[]) RETURNS int8 LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = off AS $$
	int64_t s = 0;
	for (uint32_t i = 0; i < a->n; i++)
		if (!tmebox_array_isnull(a, i)) s += a->v[i];
	return s;
$$;
SELECT pg_temp.sqlstate_of($$SELECT off_sum('{1,NULL}')$$) AS off;
ALTER FUNCTION off_sum(int4[]) SET tmebox.array_nulls = true;
SELECT off_sum('{1,NULL}'), off_sum('{{1,2},{NULL,4}}');
ALTER FUNCTION off_sum(int4[]) RESET tmebox.array_nulls;
SELECT pg_temp.sqlstate_of($$SELECT off_sum('{{1,2},{3,4}}')$$) AS reset;
-- a bad value is refused when the clause is made
CREATE FUNCTION bad_setting(a int4[]) RETURNS int8 LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = 'maybe' AS $$ return 0; $$;

-- SETOF a scalar: NULL elements are NULL rows, dimensions flattened
CREATE FUNCTION some_nulls(n int) RETURNS SETOF int8 LANGUAGE tmebox STRICT AS $$
	tmebox_array_i64 *r = tmebox_array_i64_new(n);
	int32_t		dims[2] = {2, n / 2};
	for (int i = 0; i < n; i++)
		r->v[i] = i;
	if (n % 2 == 0)
		tmebox_array_set_dims(r, 2, dims, NULL);
	for (int i = 1; i < n; i += 2)
		tmebox_array_set_null(r, i);
	return r;
$$;
SELECT * FROM some_nulls(6);
SELECT count(*), count(x) FROM some_nulls(1001) AS x;

-- forged shapes: the host checks every field of a result's shape
CREATE FUNCTION forge(what int) RETURNS int4[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_i32 *r = tmebox_array_i32_new(4);
	tmebox_array_shape *s = calloc(1, sizeof(tmebox_array_shape) + 4);
	s->ndim = 2; s->dims[0] = 2; s->dims[1] = 2; s->lbounds[0] = 1; s->lbounds[1] = 1;
	r->shape = (uint32_t) (uintptr_t) s;
	switch (what)
	{
		case 1: s->dims[1] = 3; break;				/* 6 cells, 4 elements */
		case 2: s->ndim = 0; break;
		case 3: s->ndim = 7; break;
		case 4: s->dims[0] = -2; s->dims[1] = -2; break;	/* product 4 */
		case 5: s->has_nulls = 2; break;
		case 6: r->shape = 0x7ffffff0; break;		/* past the heap */
		case 7: r->shape = 8; break;				/* the NULL guard */
		case 8: s->lbounds[0] = 2147483647; break;	/* upper bound overflows */
		case 9: s->dims[0] = 65536; s->dims[1] = 65536; break;	/* 2^32: wraps to 0 */
		case 10: r->n = 0x80000004; break;			/* n past 2^31 */
		case 11: s->has_nulls = 1; s->nulls[3] = 7; break;	/* any nonzero: NULL */
		case 12: r->shape = (uint32_t) (uintptr_t) r; break;	/* the array itself */
	}
	return r;
$$;
SELECT what, pg_temp.sqlstate_of(format('SELECT forge(%s)', what)) AS sqlstate
FROM generate_series(0, 12) AS what;
SELECT forge(0), forge(11);
SELECT forge(1);
SELECT forge(5);
SELECT forge(8);
CREATE FUNCTION bad_dims(n int) RETURNS int4[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_i32 *r = tmebox_array_i32_new(n);
	int32_t		dims[2] = {2, 2};
	tmebox_array_set_dims(r, 2, dims, NULL);
	return r;
$$;
SELECT bad_dims(4);
SELECT bad_dims(5);
SELECT forge(0) AS works_again;

-- arrays of buffers (text[], bytea[], numeric[], interval[]): dimensions
-- in and out; their NULL elements are NULL pointers
CREATE FUNCTION text_shape(a text[]) RETURNS text LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	char		out[200];
	int			k = snprintf(out, sizeof out, "n=%u ndim=%d", a->n, tmebox_array_ndim(a));
	for (int d = 0; d < tmebox_array_ndim(a); d++)
		k += snprintf(out + k, sizeof out - k, " [%d:%d]", tmebox_array_lbound(a, d),
					  tmebox_array_lbound(a, d) + tmebox_array_dim(a, d) - 1);
	for (uint32_t i = 0; i < a->n && k < 180; i++)
		k += snprintf(out + k, sizeof out - k, " %s", a->v[i] ? a->v[i]->data : "NULL");
	return tmebox_buf_from_cstr(out);
$$;
SELECT a, text_shape(a) FROM (VALUES ('{}'::text[]), ('{a,NULL}'), ('{{a,b},{c,NULL}}'),
	('[0:1]={x,y}'), ('{{{p}},{{q}}}')) AS t(a);
-- the same shape back: text, numeric and interval
CREATE FUNCTION upper_md(a text[]) RETURNS text[] LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	tmebox_array_buf *r = tmebox_array_buf_new(a->n);
	int32_t		dims[6], lbs[6];
	for (uint32_t i = 0; i < a->n; i++)
		if (a->v[i])
		{
			r->v[i] = tmebox_buf_from(a->v[i]->data, a->v[i]->len);
			for (uint32_t j = 0; j < r->v[i]->len; j++)
				if (r->v[i]->data[j] >= 'a' && r->v[i]->data[j] <= 'z')
					r->v[i]->data[j] -= 32;
		}
	for (int d = 0; d < tmebox_array_ndim(a); d++)
	{
		dims[d] = tmebox_array_dim(a, d);
		lbs[d] = tmebox_array_lbound(a, d);
	}
	if (tmebox_array_ndim(a) > 0)
		tmebox_array_set_dims(r, tmebox_array_ndim(a), dims, lbs);
	return r;
$$;
CREATE FUNCTION num_double(a numeric[]) RETURNS numeric[] LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	tmebox_array_numeric *r = tmebox_array_numeric_new(a->n);
	int32_t		dims[6], lbs[6];
	for (uint32_t i = 0; i < a->n; i++)
		r->v[i] = a->v[i] ? tmebox_num_add(a->v[i], a->v[i]) : NULL;
	for (int d = 0; d < tmebox_array_ndim(a); d++)
	{
		dims[d] = tmebox_array_dim(a, d);
		lbs[d] = tmebox_array_lbound(a, d);
	}
	if (tmebox_array_ndim(a) > 0)
		tmebox_array_set_dims(r, tmebox_array_ndim(a), dims, lbs);
	return r;
$$;
CREATE FUNCTION iv_grid(n int) RETURNS interval[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_interval *r = tmebox_array_interval_new(2 * n);
	int32_t		dims[2] = {2, n}, lbs[2] = {0, 1};
	for (int i = 0; i < 2 * n; i++)
		r->v[i] = i == 1 ? NULL : tmebox_interval_make(i, 0, 0);
	tmebox_array_set_dims(r, 2, dims, lbs);
	return r;
$$;
SELECT upper_md('{{a,b},{NULL,d}}'), upper_md('[2:3]={x,y}'), upper_md('{}'),
	num_double('{{1.5,NULL},{-2,NaN}}'), num_double('[-1:0]={0.25,1e-3}'),
	iv_grid(2), array_dims(iv_grid(3)), iv_grid(0);
SELECT a, upper_md(a) = upper(a::text)::text[] AS same
FROM (VALUES ('{{{{{{a}}}}}}'::text[]), ('[5:5][7:8]={{p,q}}')) AS t(a);
-- forged shapes of arrays of buffers
CREATE FUNCTION text_forge(what int) RETURNS text[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_buf *r = tmebox_array_buf_new(4);
	int32_t		dims[2] = {2, 2};
	for (int i = 0; i < 4; i++)
		r->v[i] = tmebox_buf_from_cstr("w");
	tmebox_array_set_dims(r, 2, dims, NULL);
	tmebox_array_shape *s = (tmebox_array_shape *) tmebox_array_shape_of(r);
	switch (what)
	{
		case 1: tmebox_array_set_null(r, 1); break;	/* flags: arrays of buffers have none */
		case 2: s->dims[1] = 3; break;
		case 3: s->ndim = 9; break;
		case 4: r->shape = 0x7ffffff0; break;
		case 5: r->shape = (uint32_t) (uintptr_t) r->v[0]; break;	/* an element */
	}
	return r;
$$;
SELECT what, pg_temp.sqlstate_of(format('SELECT text_forge(%s)', what)) AS sqlstate
FROM generate_series(0, 5) AS what;
SELECT text_forge(0);
SELECT text_forge(2);

-- a huge result under the tenant's memory limit: 53200, then it works
SELECT pg_temp.sqlstate_of($$SELECT shorts(40000000)$$) AS over_limit,
	cardinality(shorts(1000000)) AS a_million;

-- the README's examples (Writing functions: numbers, intervals and array shapes)
CREATE FUNCTION net_price(price numeric, qty int4, vat_pct numeric)
RETURNS numeric LANGUAGE tmebox IMMUTABLE STRICT AS $$
	tmebox_numeric *q = tmebox_num_from_int64(qty);
	tmebox_numeric *gross = tmebox_num_mul(price, q);
	tmebox_numeric *hundred = tmebox_num_from_int64(100);
	tmebox_numeric *rate = tmebox_num_add(hundred, vat_pct);
	tmebox_numeric *t = tmebox_num_mul(gross, rate);
	tmebox_numeric *r = tmebox_num_div(t, hundred, 2, TMEBOX_ROUND_HALF_EVEN);
	free(q); free(gross); free(hundred); free(rate); free(t);
	return r;
$$;
SELECT net_price(19.99, 3, 7.7);  -- 64.59

CREATE FUNCTION due(start timestamp, every interval, n int4) RETURNS timestamp
LANGUAGE tmebox IMMUTABLE STRICT AS $$
	tmebox_timestamp t = start;
	for (int i = 0; i < n; i++)
		t = tmebox_timestamp_add_interval(t, every);
	return t;
$$;
SELECT due('2024-01-31', '1 mon', 2);  -- 2024-03-29 00:00:00 (31 -> 29 Feb, then 29 Mar)

CREATE FUNCTION row_sums(m int4[]) RETURNS int8[] LANGUAGE tmebox STRICT
	SET tmebox.array_nulls = on AS $$
	if (tmebox_array_ndim(m) != 2)
		tmebox_error_code("2202E", "row_sums wants a matrix");
	int32_t		rows = tmebox_array_dim(m, 0), cols = tmebox_array_dim(m, 1);
	tmebox_array_i64 *r = tmebox_array_i64_new(rows);
	for (int32_t i = 0; i < rows; i++)
	{
		int			seen = 0;
		for (int32_t j = 0; j < cols; j++)
			if (!tmebox_array_isnull(m, i * cols + j))
			{
				r->v[i] += m->v[i * cols + j];
				seen++;
			}
		if (!seen)
			tmebox_array_set_null(r, i);	/* like sum() of no values */
	}
	return r;
$$;
SELECT row_sums('{{1,2,NULL},{NULL,NULL,NULL}}');  -- {3,NULL}

-- tmebox_array_set_dims on an array that has a shape changes it in place:
-- a million calls in one function call fit the tenant's 64 MB (a new
-- shape for each call took 80 MB: out of memory, 53200)
CREATE FUNCTION redim(n int) RETURNS int4[] LANGUAGE tmebox STRICT AS $$
	tmebox_array_i32 *r = tmebox_array_i32_new(6);
	int32_t		d23[2] = {2, 3},
				d32[2] = {3, 2};
	for (int32_t i = 0; i < 6; i++)
		r->v[i] = i + 1;
	for (int32_t k = 0; k < n; k++)
		tmebox_array_set_dims(r, 2, (k & 1) ? d32 : d23, NULL);
	return r;
$$;
SELECT redim(1000000), redim(1000001);

RESET ROLE;
SELECT tmebox.drop_tenant('arrays');
DROP OWNED BY regress_arrays;
DROP ROLE regress_arrays;
