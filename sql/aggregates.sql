-- aggregates: CREATE AGGREGATE from tmebox transition, final and combine
-- functions with a bytea state (PostgreSQL gives untrusted languages no
-- `internal` state): a histogram (STRICT transition, INITCOND '') and
-- running statistics (non-STRICT transition, NULL initial state); NULL
-- inputs, empty groups and all-NULL groups, many groups (hash
-- aggregation), a window aggregate, parallel aggregation through the
-- combine function, errors raised by the transition function in the
-- middle of a group (the next query works), and a final function built
-- on PostgreSQL's own array_append transition (a float8[] state).
\pset null '(null)'

CREATE ROLE regress_agg;
GRANT USAGE ON LANGUAGE tmebox TO regress_agg;
GRANT USAGE ON SCHEMA tmebox TO regress_agg;
GRANT CREATE ON SCHEMA public TO regress_agg;
SELECT tmebox.create_tenant('agg', owner => 'regress_agg') > 0 AS created;

SET ROLE regress_agg;

SELECT cardinality(tmebox.create_module('agg', 'aggs', $c$
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>
#include <math.h>
#include <tmebox.h>

/*
 * hist(x, lo, hi, nb): counts per bucket as width_bucket numbers them
 * (0: below lo, 1..nb, nb + 1: at or above hi).  State (bytea): a head,
 * then nb + 2 int64 counts.  A bytea's data starts 4 bytes into an
 * 8-byte aligned block: fields are read and written with memcpy.
 */
typedef struct hist_head
{
	int32_t		nb;
	int32_t		pad;
	double		lo;
	double		hi;
} hist_head;

static hist_head
hist_check(const tmebox_buf *s)
{
	hist_head	h;

	if (s->len < sizeof h)
		tmebox_error("hist: corrupt state of %u bytes", s->len);
	memcpy(&h, s->data, sizeof h);
	if (h.nb < 1 || s->len != sizeof h + 8 * ((uint32_t) h.nb + 2))
		tmebox_error("hist: corrupt state of %u bytes", s->len);
	return h;
}

static int64_t
count_at(const tmebox_buf *s, int32_t b)
{
	int64_t		c;

	memcpy(&c, s->data + sizeof(hist_head) + 8 * (uint32_t) b, 8);
	return c;
}

static void
count_set(tmebox_buf *s, int32_t b, int64_t c)
{
	memcpy(s->data + sizeof(hist_head) + 8 * (uint32_t) b, &c, 8);
}

tmebox_buf *
hist_step(const tmebox_buf *state, double x, double lo, double hi, int32_t nb)
{
	tmebox_buf *r;
	hist_head	h;
	int32_t		b;

	if (state->len == 0)
	{
		/* the first row of a group (INITCOND '') */
		if (nb < 1 || nb > 100000 || !(lo < hi))
			tmebox_error("hist: want 1 to 100000 buckets over lo < hi, not %d over [%g, %g)",
						 nb, lo, hi);
		r = tmebox_buf_new(sizeof h + 8 * ((uint32_t) nb + 2));
		memset(r->data, 0, r->len);
		h.nb = nb;
		h.pad = 0;
		h.lo = lo;
		h.hi = hi;
		memcpy(r->data, &h, sizeof h);
	}
	else
	{
		h = hist_check(state);
		if (h.nb != nb || h.lo != lo || h.hi != hi)
			tmebox_error("hist: the buckets changed within a group");
		r = tmebox_buf_from(state->data, state->len);
	}
	if (isnan(x))
		tmebox_error("hist: NaN input");
	/* width_bucket's arithmetic */
	b = x < lo ? 0 : x >= hi ? nb + 1 : (int32_t) (nb * ((x - lo) / (hi - lo))) + 1;
	count_set(r, b, count_at(r, b) + 1);
	return r;
}

/* parallel aggregation: two partial states into one */
tmebox_buf *
hist_combine(const tmebox_buf *a, const tmebox_buf *b)
{
	hist_head	ha, hb;
	tmebox_buf *r;

	if (a->len == 0 || b->len == 0)
		return a->len == 0 ? tmebox_buf_from(b->data, b->len) : tmebox_buf_from(a->data, a->len);
	ha = hist_check(a);
	hb = hist_check(b);
	if (ha.nb != hb.nb || ha.lo != hb.lo || ha.hi != hb.hi)
		tmebox_error("hist: the buckets changed within a group");
	r = tmebox_buf_from(a->data, a->len);
	for (int32_t i = 0; i < ha.nb + 2; i++)
		count_set(r, i, count_at(a, i) + count_at(b, i));
	return r;
}

/* the counts; an empty group (no non-NULL row) is NULL */
tmebox_array_i64 *
hist_final(const tmebox_buf *state)
{
	tmebox_array_i64 *r;
	hist_head	h;

	if (state->len == 0)
		return NULL;
	h = hist_check(state);
	r = tmebox_array_i64_new((uint32_t) h.nb + 2);
	for (int32_t i = 0; i < h.nb + 2; i++)
		r->v[i] = count_at(state, i);
	return r;
}

/*
 * stats(x): count, mean and sample standard deviation (Welford), state
 * {n, mean, m2} as 24 bytes; not STRICT: the first call sees a NULL
 * state, NULL inputs leave it as it is.
 */
typedef struct stats_state
{
	double		n;
	double		mean;
	double		m2;
} stats_state;

static tmebox_buf *
stats_buf(const stats_state *s)
{
	return tmebox_buf_from(s, sizeof *s);
}

static stats_state
stats_of(const tmebox_buf *b)
{
	stats_state s;

	if (b->len != sizeof s)
		tmebox_error("stats: corrupt state of %u bytes", b->len);
	memcpy(&s, b->data, sizeof s);
	return s;
}

tmebox_buf *
stats_step(const tmebox_buf *state, double x, bool state_isnull, bool x_isnull)
{
	stats_state s = {0, 0, 0};
	double		d;

	if (x_isnull)
		return state_isnull ? NULL : tmebox_buf_from(state->data, state->len);
	if (!state_isnull)
		s = stats_of(state);
	if (x == 666)
		tmebox_error("stats: the number of the beast");
	s.n += 1;
	d = x - s.mean;
	s.mean += d / s.n;
	s.m2 += d * (x - s.mean);
	return stats_buf(&s);
}

tmebox_buf *
stats_combine(const tmebox_buf *a, const tmebox_buf *b)
{
	stats_state sa = stats_of(a), sb = stats_of(b), r;
	double		d = sb.mean - sa.mean;

	r.n = sa.n + sb.n;
	r.mean = sa.mean + d * sb.n / r.n;
	r.m2 = sa.m2 + sb.m2 + d * d * sa.n * sb.n / r.n;
	return stats_buf(&r);
}

tmebox_array_f64 *
stats_final(const tmebox_buf *state)
{
	stats_state s = stats_of(state);
	tmebox_array_f64 *r = tmebox_array_f64_new(3);

	r->v[0] = s.n;
	r->v[1] = s.mean;
	r->v[2] = s.n > 1 ? sqrt(s.m2 / (s.n - 1)) : NAN;
	return r;
}

/* mean of the middle 80 % of a float8[] built by PostgreSQL's array_append */
static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a, y = *(const double *) b;

	return (x > y) - (x < y);
}

double
trimmed_mean_final(const tmebox_array_f64 *v)
{
	double	   *s = malloc(sizeof(double) * (v->n ? v->n : 1));
	uint32_t	cut = v->n / 10;
	double		sum = 0;

	if (v->n == 0)
		tmebox_error("trimmed_mean: no rows");
	memcpy(s, v->v, sizeof(double) * v->n);
	qsort(s, v->n, sizeof(double), cmp_double);
	for (uint32_t i = cut; i < v->n - cut; i++)
		sum += s[i];
	free(s);
	return sum / (v->n - 2 * cut);
}
$c$)) > 0 AS compiled;

CREATE FUNCTION hist_step(bytea, float8, float8, float8, int4) RETURNS bytea
	LANGUAGE tmebox IMMUTABLE STRICT PARALLEL SAFE AS 'aggs.hist_step';
CREATE FUNCTION hist_combine(bytea, bytea) RETURNS bytea
	LANGUAGE tmebox IMMUTABLE STRICT PARALLEL SAFE AS 'aggs.hist_combine';
CREATE FUNCTION hist_final(bytea) RETURNS int8[]
	LANGUAGE tmebox IMMUTABLE STRICT PARALLEL SAFE AS 'aggs.hist_final';
CREATE AGGREGATE hist(float8, float8, float8, int4) (
	SFUNC = hist_step, STYPE = bytea, INITCOND = '',
	FINALFUNC = hist_final, COMBINEFUNC = hist_combine, PARALLEL = SAFE);

CREATE FUNCTION stats_step(bytea, float8) RETURNS bytea
	LANGUAGE tmebox IMMUTABLE PARALLEL SAFE AS 'aggs.stats_step';
CREATE FUNCTION stats_combine(bytea, bytea) RETURNS bytea
	LANGUAGE tmebox IMMUTABLE STRICT PARALLEL SAFE AS 'aggs.stats_combine';
CREATE FUNCTION stats_final(bytea) RETURNS float8[]
	LANGUAGE tmebox IMMUTABLE STRICT PARALLEL SAFE AS 'aggs.stats_final';
CREATE AGGREGATE stats(float8) (
	SFUNC = stats_step, STYPE = bytea,
	FINALFUNC = stats_final, COMBINEFUNC = stats_combine, PARALLEL = SAFE);

CREATE FUNCTION trimmed_mean_final(float8[]) RETURNS float8
	LANGUAGE tmebox IMMUTABLE STRICT AS 'aggs.trimmed_mean_final';
-- NULL inputs skipped (array_append itself would keep them, and a tmebox
-- function takes no NULL elements); no rows: a NULL state, the STRICT
-- final function is not called, the result is NULL
CREATE FUNCTION trimmed_mean_step(float8[], float8) RETURNS float8[]
	LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN $2 IS NULL THEN $1 ELSE array_append($1, $2) END';
CREATE AGGREGATE trimmed_mean(float8) (
	SFUNC = trimmed_mean_step, STYPE = float8[], FINALFUNC = trimmed_mean_final);

-- data: groups 1..5 with NULLs, group 6 all NULL, values that fall
-- below, inside and above [0, 100)
CREATE TABLE t (g int, x float8);
INSERT INTO t SELECT i % 5 + 1, CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 37 % 130) - 15 END
FROM generate_series(1, 1000) i;
INSERT INTO t VALUES (6, NULL), (6, NULL);

-- the histogram equals width_bucket's counts, per group; all-NULL: NULL
SELECT g, hist(x, 0, 100, 4),
	hist(x, 0, 100, 4) = (SELECT array_agg(coalesce(c, 0) ORDER BY b)
						  FROM generate_series(0, 5) b
						  LEFT JOIN (SELECT width_bucket(x, 0, 100, 4) AS wb, count(*) AS c
									 FROM t t2 WHERE t2.g = t.g AND x IS NOT NULL GROUP BY 1) w
						  ON w.wb = b) AS same_as_width_bucket
FROM t GROUP BY g ORDER BY g;
-- no rows at all: the empty group
SELECT hist(x, 0, 100, 4) AS no_rows FROM t WHERE false;
SELECT g, hist(x, 0, 100, 4) FROM t WHERE false GROUP BY g;

-- non-STRICT transition: NULL inputs skipped by the function itself
SELECT g, s[1] AS n, round(s[2]::numeric, 9) AS mean, round(s[3]::numeric, 9) AS stddev,
	(SELECT count(x) FROM t t2 WHERE t2.g = t.g) AS count,
	(SELECT round(avg(x)::numeric, 9) FROM t t2 WHERE t2.g = t.g) AS avg,
	(SELECT round(stddev_samp(x)::numeric, 9) FROM t t2 WHERE t2.g = t.g) AS stddev_samp
FROM (SELECT g, stats(x) AS s FROM t GROUP BY g) t ORDER BY g;
SELECT stats(x) AS no_rows FROM t WHERE false;
SELECT stats(x) AS one_row FROM (SELECT x FROM t WHERE x = 5 LIMIT 1) s;

-- many groups: hash aggregation with a bytea state per group
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT i % 1000, hist(i, 0, 10000, 10) FROM generate_series(1, 20000) i GROUP BY 1;
SELECT count(*) AS groups, sum(h[2] + h[3]) AS counted
FROM (SELECT i % 1000, hist(i, 0, 10000, 10) AS h FROM generate_series(1, 20000) i GROUP BY 1) s;
RESET enable_sort;

-- a window aggregate: the final function runs on every frame's state
SELECT i, hist(i, 0, 4, 2) OVER (ORDER BY i) FROM generate_series(1, 4) i;

-- PostgreSQL's array_append builds the state, a tmebox final function sorts
SELECT g, round(trimmed_mean(x)::numeric, 6) AS trimmed_mean, round(avg(x)::numeric, 6) AS mean,
	(SELECT round(avg(x)::numeric, 6)
	 FROM (SELECT x, row_number() OVER (ORDER BY x) AS r, count(*) OVER () AS n
		   FROM t t2 WHERE t2.g = t.g AND x IS NOT NULL) m
	 WHERE r > n / 10 AND r <= n - n / 10) AS in_sql
FROM t GROUP BY g ORDER BY g;
SELECT trimmed_mean(x) AS no_rows FROM t WHERE false;

-- parallel aggregation: partial states from the workers' sandboxes,
-- combined in the leader's
CREATE TABLE big AS SELECT i, (i * 7919 % 1000) / 10.0 AS x FROM generate_series(1, 200000) i;
ANALYZE big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT hist(x, 0, 100, 10), stats(x) FROM big;
SELECT hist(x, 0, 100, 10) AS par_h, stats(x) AS par_s FROM big \gset
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT h = :'par_h' AS same_hist, h, s[1] = (:'par_s'::float8[])[1] AS same_n,
	round(s[2]::numeric, 6) = round((:'par_s'::float8[])[2]::numeric, 6) AS same_mean,
	round(s[3]::numeric, 6) = round((:'par_s'::float8[])[3]::numeric, 6) AS same_stddev
FROM (SELECT hist(x, 0, 100, 10) AS h, stats(x) AS s FROM big) ser;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

-- errors raised by the transition function in the middle of a group
-- end the query; the sandbox is reset and the next query works
SELECT g, hist(CASE WHEN x = 50 THEN 'NaN' ELSE x END, 0, 100, 4) FROM t GROUP BY g ORDER BY g;
SELECT g, stats(CASE WHEN x = 50 THEN 666 ELSE x END) FROM t GROUP BY g ORDER BY g;
SELECT hist(x, 0, 100, CASE WHEN x > 90 THEN 5 ELSE 4 END) FROM t;
SELECT hist(x, 100, 0, 4) FROM t;
SELECT g, hist(x, 0, 100, 4) FROM t WHERE g = 1 GROUP BY g;
-- caught in PL/pgSQL: the aggregate's error, then the same aggregate again
DO $$
DECLARE h int8[];
BEGIN
	BEGIN
		SELECT hist(CASE WHEN x = 50 THEN 'NaN' ELSE x END, 0, 100, 4) INTO h FROM t;
	EXCEPTION WHEN OTHERS THEN
		RAISE NOTICE 'caught: %', SQLERRM;
	END;
	SELECT hist(x, 0, 100, 4) INTO h FROM t;
	RAISE NOTICE 'then: %', h;
END $$;
-- a state the functions did not make: refused by their own checks
SELECT hist_final('\x0102');
SELECT hist_combine(hist_step('', 1, 0, 10, 2), hist_step('', 1, 0, 10, 3));
SELECT stats_final('\x00');

RESET ROLE;
DROP AGGREGATE hist(float8, float8, float8, int4), stats(float8), trimmed_mean(float8);
DROP FUNCTION hist_step(bytea, float8, float8, float8, int4), hist_combine(bytea, bytea),
	hist_final(bytea), stats_step(bytea, float8), stats_combine(bytea, bytea),
	stats_final(bytea), trimmed_mean_final(float8[]), trimmed_mean_step(float8[], float8);
DROP TABLE t, big;
SELECT tmebox.drop_module('agg', 'aggs');
SELECT tmebox.drop_tenant('agg');

-- the README's example, as it is written there
SELECT tmebox.create_tenant('acme', owner => 'regress_agg') > 0 AS created;
SET ROLE regress_agg;
SELECT tmebox.create_module('acme', 'hist', $$
#include <string.h>
#include <tmebox.h>

/* state: nb + 2 int64 counts (below lo, nb buckets, at or above hi) */
tmebox_buf *step(const tmebox_buf *state, double x, double lo, double hi, int32_t nb)
{
	tmebox_buf *r;
	int64_t c;
	int32_t b = x < lo ? 0 : x >= hi ? nb + 1 : (int32_t) (nb * ((x - lo) / (hi - lo))) + 1;

	if (nb < 1 || nb > 10000 || !(lo < hi))
		tmebox_error("hist: bad buckets");
	if (state->len == 0) {				/* a group's first row: INITCOND '' */
		r = tmebox_buf_new(8 * ((uint32_t) nb + 2));
		memset(r->data, 0, r->len);
	} else if (state->len != 8 * ((uint32_t) nb + 2))
		tmebox_error("hist: the buckets changed within a group");
	else
		r = tmebox_buf_from(state->data, state->len);
	memcpy(&c, r->data + 8 * b, 8);
	c++;
	memcpy(r->data + 8 * b, &c, 8);
	return r;
}

tmebox_buf *combine(const tmebox_buf *a, const tmebox_buf *b)
{
	if (a->len == 0 || b->len == 0)
		return a->len == 0 ? tmebox_buf_from(b->data, b->len) : tmebox_buf_from(a->data, a->len);
	if (a->len != b->len)
		tmebox_error("hist: the buckets changed within a group");
	tmebox_buf *r = tmebox_buf_new(a->len);
	for (uint32_t i = 0; i < a->len; i += 8) {
		int64_t x, y;
		memcpy(&x, a->data + i, 8);
		memcpy(&y, b->data + i, 8);
		x += y;
		memcpy(r->data + i, &x, 8);
	}
	return r;
}

tmebox_array_i64 *final(const tmebox_buf *state)
{
	if (state->len == 0)
		return NULL;					/* no rows: NULL */
	tmebox_array_i64 *r = tmebox_array_i64_new(state->len / 8);
	memcpy(r->v, state->data, state->len);
	return r;
}
$$);
CREATE FUNCTION hist_step(bytea, float8, float8, float8, int4) RETURNS bytea
	LANGUAGE tmebox IMMUTABLE STRICT PARALLEL SAFE AS 'hist.step';
CREATE FUNCTION hist_combine(bytea, bytea) RETURNS bytea
	LANGUAGE tmebox IMMUTABLE STRICT PARALLEL SAFE AS 'hist.combine';
CREATE FUNCTION hist_final(bytea) RETURNS int8[]
	LANGUAGE tmebox IMMUTABLE STRICT PARALLEL SAFE AS 'hist.final';
CREATE AGGREGATE hist(float8, float8, float8, int4) (
	SFUNC = hist_step, STYPE = bytea, INITCOND = '',
	FINALFUNC = hist_final, COMBINEFUNC = hist_combine, PARALLEL = SAFE);

SELECT hist(x, 0, 100, 4) FROM (VALUES (5), (30), (55), (99), (120), (NULL)) v(x);
SELECT hist(x, 0, 100, 4), hist(x, 0, 100, 4) FILTER (WHERE false) AS no_rows
FROM (VALUES (5), (30), (55), (99), (120), (NULL)) v(x);
RESET ROLE;
DROP AGGREGATE hist(float8, float8, float8, int4);
DROP FUNCTION hist_step(bytea, float8, float8, float8, int4), hist_combine(bytea, bytea),
	hist_final(bytea);
SELECT tmebox.drop_module('acme', 'hist');
SELECT tmebox.drop_tenant('acme');
REVOKE ALL ON SCHEMA public FROM regress_agg;
REVOKE ALL ON SCHEMA tmebox FROM regress_agg;
REVOKE ALL ON LANGUAGE tmebox FROM regress_agg;
DROP ROLE regress_agg;
