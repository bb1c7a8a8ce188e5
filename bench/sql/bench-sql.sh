#!/bin/bash
# bench/sql/bench-sql.sh -- the SQL suites of the tmebox benchmarks, against a
# running server with tmebox installed (PGHOST/PGPORT/PGUSER/PGDATABASE set;
# extension/scripts/tmebox-dev.sh bench starts a private cluster and runs
# this).  Appends CSV rows "suite,case,system,value,unit" to OUT.
#
#   bench-sql.sh full|quick OUT.csv
#
# Suites:
#   call     SELECT sum(f(i)) FROM generate_series(1, N) i with f in
#            LANGUAGE C, tmebox, plpgsql, plpython3u; and a text function
#            (reverse) over a table of N strings.  ns per row, ns per call
#            net of the same query without a function, ratio to LANGUAGE C.
#            Also a jsonb field lookup over N documents and a histogram
#            aggregate over N float8s (CREATE AGGREGATE per language), and
#            an SPI round trip (SELECT $1 + 1 once per row, N/20 rows),
#            and a BEFORE ROW trigger returning NEW (N/10 rows inserted).
#   scale    K tenants (one instance each) in one backend: switching tenant
#            on every row vs K functions of one tenant; backend memory and
#            mappings per instance; and S tenants sharing one function body
#            (one loaded module): instances per backend, first-call time,
#            memory and mappings per instance.
#   compile  tmebox.create_module of a small and a 2 000-line module, and
#            CREATE FUNCTION with a C body.
#
# Invariants:
#   - Everything compared is measured in one session, interleaved: each run
#     times every system once, in an order rotated from run to run; figures
#     are medians over runs, ratios medians of per-run ratios.
#   - Every timed query's result is compared across the systems of its case;
#     a difference aborts the run (exit 1).
#   - Single-threaded: no parallel query (max_parallel_workers_per_gather=0).
#   - Creates schema "bench", tenants "bench*" and modules in them; drops
#     them first if they exist.  Needs a superuser (plpython3u, pg_read_file
#     of /proc/self for the backend's memory).

set -euo pipefail

MODE=${1:-full}
OUT=${2:?usage: bench-sql.sh full|quick OUT.csv}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PSQL=${PSQL:-/usr/lib/postgresql/15/bin/psql}

case "$MODE" in
	full)
		N=300000; RUNS=21; KS="10 100"; S=2000; CRUNS=5 ;;
	quick)
		N=200000; RUNS=3; KS="10"; S=200; CRUNS=2 ;;
	*)
		echo "bench-sql.sh: mode must be full or quick" >&2; exit 2 ;;
esac

psql_run() { "$PSQL" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

log() { printf 'bench-sql: %s\n' "$*" >&2; }

# ---- set-up: peers, helper functions, sample table ----
log "set-up (N=$N, runs=$RUNS)"
psql_run <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS tmebox;
CREATE EXTENSION IF NOT EXISTS plpython3u;
DROP SCHEMA IF EXISTS bench CASCADE;
DROP SCHEMA IF EXISTS bench2 CASCADE;
DO $$
DECLARE t text; m text;
BEGIN
	FOR t, m IN SELECT tenant, name FROM tmebox.modules WHERE tenant LIKE 'bench%' LOOP
		PERFORM tmebox.drop_module(t, m);
	END LOOP;
	FOR t IN SELECT name FROM tmebox.tenants WHERE name LIKE 'bench%' LOOP
		PERFORM tmebox.drop_tenant(t);
	END LOOP;
END $$;
CREATE SCHEMA bench;

-- one timed sample: wall-clock ns of one query, and its (bigint) result
CREATE TABLE bench.sample (suite text, name text, label text, run int,
						   ns float8, result text);

CREATE FUNCTION bench.measure(suite text, name text, labels text[],
							  queries text[], runs int) RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE
	n int := array_length(labels, 1);
	t0 timestamptz;
	res text;
	first text;
	j int;
BEGIN
	-- warm-up (instances created, caches filled) and result check; a
	-- label "none" (the query without a function) is not compared
	FOR j IN 1 .. n LOOP
		EXECUTE queries[j] INTO res;
		IF labels[j] = 'none' THEN
			CONTINUE;
		ELSIF first IS NULL THEN
			first := res;
		ELSIF res IS DISTINCT FROM first THEN
			RAISE EXCEPTION 'bench %/%: % returned %, % returned %',
				suite, name, labels[j], res, 'the first system', first;
		END IF;
	END LOOP;
	FOR r IN 1 .. runs LOOP
		FOR k IN 0 .. n - 1 LOOP
			j := (k + r) % n + 1;
			t0 := clock_timestamp();
			EXECUTE queries[j] INTO res;
			INSERT INTO bench.sample VALUES (suite, name, labels[j], r,
				extract(epoch FROM clock_timestamp() - t0) * 1e9, res);
			IF labels[j] <> 'none' AND res IS DISTINCT FROM first THEN
				RAISE EXCEPTION 'bench %/%: % returned % in run %',
					suite, name, labels[j], res, r;
			END IF;
		END LOOP;
	END LOOP;
END $f$;

-- peers: x + 1 and reverse(text)
CREATE FUNCTION bench.inc_c(int4) RETURNS int4
	AS 'bench_c', 'bench_c_inc' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION bench.rev_c(text) RETURNS text
	AS 'bench_c', 'bench_c_rev' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION bench.inc_plpgsql(x int4) RETURNS int4
	LANGUAGE plpgsql IMMUTABLE STRICT AS $$ BEGIN RETURN x + 1; END $$;
CREATE FUNCTION bench.rev_plpgsql(s text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE STRICT AS $$ BEGIN RETURN reverse(s); END $$;
CREATE FUNCTION bench.inc_plpython3u(x int4) RETURNS int4
	LANGUAGE plpython3u IMMUTABLE STRICT AS $$ return x + 1 $$;
CREATE FUNCTION bench.rev_plpython3u(s text) RETURNS text
	LANGUAGE plpython3u IMMUTABLE STRICT AS $$ return s[::-1] $$;
-- set-returning: generate_series(a, b) over int8 (the C peer is
-- PostgreSQL's own, value per call; the others materialize)
CREATE FUNCTION bench.series_plpgsql(a int8, b int8) RETURNS SETOF int8
	LANGUAGE plpgsql IMMUTABLE STRICT AS $$ BEGIN FOR i IN a .. b LOOP RETURN NEXT i; END LOOP; END $$;
CREATE FUNCTION bench.series_plpython3u(a int8, b int8) RETURNS SETOF int8
	LANGUAGE plpython3u IMMUTABLE STRICT AS $$ return range(a, b + 1) $$;

SELECT tmebox.create_tenant('bench', owner => current_user::regrole, memory_limit => '256MB');
SELECT tmebox.create_module('bench', 'peer', $c$
#include <stdint.h>
#include <tmebox.h>

int32_t
inc(int32_t x)
{
	return (int32_t) ((uint32_t) x + 1);
}

/* as bench_c_rev (pgc/bench_c.c): the length read once */
tmebox_buf *
rev(const tmebox_buf *s)
{
	uint32_t	len = s->len;
	tmebox_buf *r = tmebox_buf_new(len);

	for (uint32_t i = 0; i < len; i++)
		r->data[i] = s->data[len - 1 - i];
	return r;
}

tmebox_array_i64 *
series(int64_t a, int64_t b)
{
	tmebox_array_i64 *r = tmebox_array_i64_new(b < a ? 0 : (uint32_t) (b - a + 1));

	for (uint32_t i = 0; i < r->n; i++)
		r->v[i] = a + i;
	return r;
}
$c$);
CREATE FUNCTION bench.inc_tmebox(int4) RETURNS int4
	LANGUAGE tmebox IMMUTABLE STRICT AS 'peer.inc';
CREATE FUNCTION bench.rev_tmebox(text) RETURNS text
	LANGUAGE tmebox IMMUTABLE STRICT AS 'peer.rev';
CREATE FUNCTION bench.series_tmebox(int8, int8) RETURNS SETOF int8
	LANGUAGE tmebox IMMUTABLE STRICT AS 'peer.series';
SQL

# ---- call suite ----
log "call suite"
psql_run <<SQL
SET max_parallel_workers_per_gather = 0;
-- generate_series' rows stay in memory (no temporary file I/O in the timing)
SET work_mem = '512MB';
CREATE TABLE bench.words AS
	SELECT i, md5(i::text) || substr(md5((i * 7)::text), 1, (i % 17)) AS s
	FROM generate_series(1, $N) i;
VACUUM ANALYZE bench.words;
SELECT bench.measure('call', 'scalar',
	ARRAY['none', 'c', 'tmebox', 'plpgsql', 'plpython3u'],
	ARRAY['SELECT sum(i) + $N FROM generate_series(1, $N) i',
		  'SELECT sum(bench.inc_c(i)) FROM generate_series(1, $N) i',
		  'SELECT sum(bench.inc_tmebox(i)) FROM generate_series(1, $N) i',
		  'SELECT sum(bench.inc_plpgsql(i)) FROM generate_series(1, $N) i',
		  'SELECT sum(bench.inc_plpython3u(i)) FROM generate_series(1, $N) i'],
	$RUNS);
-- ascii(reverse(s)) is the last character of s: the same sum everywhere;
-- the baseline reads the first one (cheaper than right(); not compared)
SELECT bench.measure('call', 'text_reverse',
	ARRAY['none', 'c', 'tmebox', 'plpgsql', 'plpython3u'],
	ARRAY['SELECT sum(ascii(s)) FROM bench.words',
		  'SELECT sum(ascii(bench.rev_c(s))) FROM bench.words',
		  'SELECT sum(ascii(bench.rev_tmebox(s))) FROM bench.words',
		  'SELECT sum(ascii(bench.rev_plpgsql(s))) FROM bench.words',
		  'SELECT sum(ascii(bench.rev_plpython3u(s))) FROM bench.words'],
	$RUNS);
-- a set-returning function's rows: N rows of int8 summed; the baseline
-- reads N rows of a table instead (not compared)
SELECT bench.measure('call', 'set_rows',
	ARRAY['none', 'c', 'tmebox', 'plpgsql', 'plpython3u'],
	ARRAY['SELECT sum(i::int8) FROM bench.words',
		  'SELECT sum(x) FROM generate_series(1::int8, $N) x',
		  'SELECT sum(x) FROM bench.series_tmebox(1, $N) x',
		  'SELECT sum(x) FROM bench.series_plpgsql(1, $N) x',
		  'SELECT sum(x) FROM bench.series_plpython3u(1, $N) x'],
	$RUNS);
SQL

# ---- call suite: a jsonb field lookup and an aggregate ----
# jsonb_field: SELECT sum(f(doc)) over N documents of 6 keys (nested
# ones too, about 230 bytes, stored inline) with f reading the integer
# field "x": LANGUAGE C with PostgreSQL's jsonb API
# (getKeyJsonValueFromContainer), tmebox reading the binary form in the
# sandbox (const tmebox_jsonb *), plpgsql (doc->>'x')::int8, plpython3u
# json.loads; the baseline sums a plain column of the same rows.
# aggregate: a 10-bucket histogram of N float8s, CREATE AGGREGATE with a
# transition function per language (C: a bytea state updated in place
# in the aggregate's context; tmebox: a bytea state copied in and out of
# the sandbox per row; plpgsql and plpython3u: an int8[] state) and the
# counts as int8[]; the baseline counts the same rows.
log "call suite: jsonb field, aggregate"
psql_run <<SQL
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET work_mem = '512MB';
CREATE TABLE bench.docs AS
	SELECT i, jsonb_build_object('id', i, 'name', md5(i::text), 'x', i % 1000,
								 'active', i % 2 = 0, 'tags', jsonb_build_array('a', 'b', i % 7),
								 'meta', jsonb_build_object('created', '2026-12-05', 'score', i * 1.5)) AS doc
	FROM generate_series(1, $N) i;
CREATE TABLE bench.vals AS SELECT (i::int8 * 7919 % 100000) / 100.0::float8 AS x FROM generate_series(1, $N) i;
VACUUM ANALYZE bench.docs, bench.vals;

CREATE FUNCTION bench.jx_c(jsonb) RETURNS int8
	AS 'bench_c', 'bench_c_jsonb_x' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION bench.jx_plpgsql(doc jsonb) RETURNS int8
	LANGUAGE plpgsql IMMUTABLE STRICT AS \$\$ BEGIN RETURN (doc->>'x')::int8; END \$\$;
CREATE FUNCTION bench.jx_plpython3u(doc jsonb) RETURNS int8
	LANGUAGE plpython3u IMMUTABLE STRICT AS \$\$
import json
return json.loads(doc)['x']
\$\$;

CREATE FUNCTION bench.hist_c_step(bytea, float8, float8, float8, int4) RETURNS bytea
	AS 'bench_c', 'bench_c_hist_step' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION bench.hist_c_final(bytea) RETURNS int8[]
	AS 'bench_c', 'bench_c_hist_final' LANGUAGE C IMMUTABLE STRICT;
CREATE AGGREGATE bench.hist_c(float8, float8, float8, int4) (
	SFUNC = bench.hist_c_step, STYPE = bytea, INITCOND = '', FINALFUNC = bench.hist_c_final);
CREATE FUNCTION bench.hist_plpgsql_step(s int8[], x float8, lo float8, hi float8, nb int4)
	RETURNS int8[] LANGUAGE plpgsql IMMUTABLE STRICT AS \$\$
DECLARE b int;
BEGIN
	IF cardinality(s) = 0 THEN
		s := array_fill(0::int8, ARRAY[nb + 2]);
	END IF;
	b := CASE WHEN x < lo THEN 0 WHEN x >= hi THEN nb + 1
		 ELSE trunc(nb * ((x - lo) / (hi - lo)))::int + 1 END;
	s[b + 1] := s[b + 1] + 1;
	RETURN s;
END \$\$;
CREATE AGGREGATE bench.hist_plpgsql(float8, float8, float8, int4) (
	SFUNC = bench.hist_plpgsql_step, STYPE = int8[], INITCOND = '{}');
CREATE FUNCTION bench.hist_plpython3u_step(s int8[], x float8, lo float8, hi float8, nb int4)
	RETURNS int8[] LANGUAGE plpython3u IMMUTABLE STRICT AS \$\$
t = s if s else [0] * (nb + 2)
b = 0 if x < lo else nb + 1 if x >= hi else int(nb * ((x - lo) / (hi - lo))) + 1
t[b] += 1
return t
\$\$;
CREATE AGGREGATE bench.hist_plpython3u(float8, float8, float8, int4) (
	SFUNC = bench.hist_plpython3u_step, STYPE = int8[], INITCOND = '{}');

SELECT tmebox.create_module('bench', 'jpeer', \$c\$
#include <stdint.h>
#include <string.h>
#include <tmebox.h>

int64_t
jx(const tmebox_jsonb *doc)
{
	int64_t		x;

	if (!tmebox_json_int64(tmebox_json_get(tmebox_jsonb_root(doc), "x"), &x))
		tmebox_error("no integer \"x\"");
	return x;
}

/* histogram state: {int32 nb, pad; double lo, hi} then nb + 2 int64 counts */
tmebox_buf *
hist_step(const tmebox_buf *state, double x, double lo, double hi, int32_t nb)
{
	tmebox_buf *r;
	int32_t		b;
	int64_t		c;

	if (state->len == 0)
	{
		if (nb < 1 || nb > 100000 || !(lo < hi))
			tmebox_error("hist: bad buckets");
		r = tmebox_buf_new(24 + 8 * ((uint32_t) nb + 2));
		memset(r->data, 0, r->len);
		memcpy(r->data, &nb, 4);
		memcpy(r->data + 8, &lo, 8);
		memcpy(r->data + 16, &hi, 8);
	}
	else
		r = tmebox_buf_from(state->data, state->len);
	b = x < lo ? 0 : x >= hi ? nb + 1 : (int32_t) (nb * ((x - lo) / (hi - lo))) + 1;
	if (24 + 8 * (uint32_t) b + 8 > r->len)
		tmebox_error("hist: corrupt state");
	memcpy(&c, r->data + 24 + 8 * b, 8);
	c++;
	memcpy(r->data + 24 + 8 * b, &c, 8);
	return r;
}

tmebox_array_i64 *
hist_final(const tmebox_buf *state)
{
	uint32_t	n = state->len < 24 ? 0 : (state->len - 24) / 8;
	tmebox_array_i64 *r = tmebox_array_i64_new(n);

	memcpy(r->v, state->data + 24, 8 * n);
	return r;
}
\$c\$);
CREATE FUNCTION bench.jx_tmebox(jsonb) RETURNS int8
	LANGUAGE tmebox IMMUTABLE STRICT AS 'jpeer.jx';
CREATE FUNCTION bench.hist_tmebox_step(bytea, float8, float8, float8, int4) RETURNS bytea
	LANGUAGE tmebox IMMUTABLE STRICT AS 'jpeer.hist_step';
CREATE FUNCTION bench.hist_tmebox_final(bytea) RETURNS int8[]
	LANGUAGE tmebox IMMUTABLE STRICT AS 'jpeer.hist_final';
CREATE AGGREGATE bench.hist_tmebox(float8, float8, float8, int4) (
	SFUNC = bench.hist_tmebox_step, STYPE = bytea, INITCOND = '', FINALFUNC = bench.hist_tmebox_final);

SELECT bench.measure('call', 'jsonb_field',
	ARRAY['none', 'c', 'tmebox', 'plpgsql', 'plpython3u'],
	ARRAY['SELECT sum(i % 1000) FROM bench.docs',
		  'SELECT sum(bench.jx_c(doc)) FROM bench.docs',
		  'SELECT sum(bench.jx_tmebox(doc)) FROM bench.docs',
		  'SELECT sum(bench.jx_plpgsql(doc)) FROM bench.docs',
		  'SELECT sum(bench.jx_plpython3u(doc)) FROM bench.docs'],
	$RUNS);
SELECT bench.measure('call', 'aggregate',
	ARRAY['none', 'c', 'tmebox', 'plpgsql', 'plpython3u'],
	ARRAY['SELECT count(x)::text FROM bench.vals',
		  'SELECT array_to_string(bench.hist_c(x, 0, 1000, 10), '','') FROM bench.vals',
		  'SELECT array_to_string(bench.hist_tmebox(x, 0, 1000, 10), '','') FROM bench.vals',
		  'SELECT array_to_string(bench.hist_plpgsql(x, 0, 1000, 10), '','') FROM bench.vals',
		  'SELECT array_to_string(bench.hist_plpython3u(x, 0, 1000, 10), '','') FROM bench.vals'],
	$RUNS);
SQL

# ---- call suite: an SPI round trip ----
# spi: SELECT sum(f(i)) over NS rows, f running SELECT \$1 + 1 through SQL
# access once per row: LANGUAGE C (SPI, plan kept for the session),
# tmebox (tmebox_sql_int: plan cached per session, parameters and the row
# copied through the view), plpgsql (SELECT ... INTO: its cached plan),
# plpython3u (plpy.execute of a plan kept in SD).  VOLATILE, so every row
# runs the statement.
NS=$(( N / 20 ))
log "call suite: SPI round trip (NS=$NS)"
psql_run <<SQL
SET max_parallel_workers_per_gather = 0;
CREATE FUNCTION bench.spi_c(int4) RETURNS int8
	AS 'bench_c', 'bench_c_spi_inc' LANGUAGE C VOLATILE STRICT;
CREATE FUNCTION bench.spi_tmebox(x int4) RETURNS int8 LANGUAGE tmebox VOLATILE STRICT AS \$\$
	return tmebox_sql_int("SELECT \$1 + 1", 1, (tmebox_sql_arg[]) {TMEBOX_SQL_INT4(x)}, NULL);
\$\$;
CREATE FUNCTION bench.spi_plpgsql(x int4) RETURNS int8 LANGUAGE plpgsql VOLATILE STRICT AS \$\$
DECLARE r int8;
BEGIN
	SELECT x + 1 INTO r;
	RETURN r;
END \$\$;
CREATE FUNCTION bench.spi_plpython3u(x int4) RETURNS int8 LANGUAGE plpython3u VOLATILE STRICT AS \$\$
if "plan" not in SD:
	SD["plan"] = plpy.prepare("SELECT \$1 + 1 AS r", ["int4"])
return plpy.execute(SD["plan"], [x])[0]["r"]
\$\$;
SELECT bench.measure('call', 'spi',
	ARRAY['none', 'c', 'tmebox', 'plpgsql', 'plpython3u'],
	ARRAY['SELECT sum(i + 1) FROM generate_series(1, $NS) i',
		  'SELECT sum(bench.spi_c(i)) FROM generate_series(1, $NS) i',
		  'SELECT sum(bench.spi_tmebox(i)) FROM generate_series(1, $NS) i',
		  'SELECT sum(bench.spi_plpgsql(i)) FROM generate_series(1, $NS) i',
		  'SELECT sum(bench.spi_plpython3u(i)) FROM generate_series(1, $NS) i'],
	$RUNS);
SQL

# ---- call suite: a trigger's cost per row ----
# trigger: INSERT of NT rows (int4, text, float8) into an unlogged table
# with a BEFORE INSERT ROW trigger that returns NEW unchanged: LANGUAGE C
# (the trigger tuple itself), tmebox (tg->new_row: NEW copied into the
# sandbox as a dynamic row and compared when it comes back), plpgsql
# (RETURN NEW), plpython3u (return None: unchanged).  The baseline inserts
# into a table without a trigger.  Each system has its own table, which
# grows by NT rows per run (appends; no index).
NT=$(( N / 10 ))
log "call suite: trigger (NT=$NT)"
psql_run <<SQL
SET max_parallel_workers_per_gather = 0;
CREATE FUNCTION bench.trg_c() RETURNS trigger
	AS 'bench_c', 'bench_c_trg_new' LANGUAGE C;
CREATE FUNCTION bench.trg_tmebox() RETURNS trigger LANGUAGE tmebox AS \$\$
	return tg->new_row;
\$\$;
CREATE FUNCTION bench.trg_plpgsql() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
	RETURN NEW;
END \$\$;
CREATE FUNCTION bench.trg_plpython3u() RETURNS trigger LANGUAGE plpython3u AS \$\$
return None
\$\$;
CREATE UNLOGGED TABLE bench.trg_none (i int4, s text, x float8);
CREATE UNLOGGED TABLE bench.trg_c (LIKE bench.trg_none);
CREATE UNLOGGED TABLE bench.trg_tmebox (LIKE bench.trg_none);
CREATE UNLOGGED TABLE bench.trg_plpgsql (LIKE bench.trg_none);
CREATE UNLOGGED TABLE bench.trg_plpython3u (LIKE bench.trg_none);
CREATE TRIGGER t BEFORE INSERT ON bench.trg_c FOR EACH ROW EXECUTE FUNCTION bench.trg_c();
CREATE TRIGGER t BEFORE INSERT ON bench.trg_tmebox FOR EACH ROW EXECUTE FUNCTION bench.trg_tmebox();
CREATE TRIGGER t BEFORE INSERT ON bench.trg_plpgsql FOR EACH ROW EXECUTE FUNCTION bench.trg_plpgsql();
CREATE TRIGGER t BEFORE INSERT ON bench.trg_plpython3u FOR EACH ROW EXECUTE FUNCTION bench.trg_plpython3u();
SELECT bench.measure('call', 'trigger',
	ARRAY['none', 'c', 'tmebox', 'plpgsql', 'plpython3u'],
	ARRAY['WITH w AS (INSERT INTO bench.trg_none SELECT i, md5(i::text), i / 2.0 FROM generate_series(1, $NT) i RETURNING i) SELECT sum(i) FROM w',
		  'WITH w AS (INSERT INTO bench.trg_c SELECT i, md5(i::text), i / 2.0 FROM generate_series(1, $NT) i RETURNING i) SELECT sum(i) FROM w',
		  'WITH w AS (INSERT INTO bench.trg_tmebox SELECT i, md5(i::text), i / 2.0 FROM generate_series(1, $NT) i RETURNING i) SELECT sum(i) FROM w',
		  'WITH w AS (INSERT INTO bench.trg_plpgsql SELECT i, md5(i::text), i / 2.0 FROM generate_series(1, $NT) i RETURNING i) SELECT sum(i) FROM w',
		  'WITH w AS (INSERT INTO bench.trg_plpython3u SELECT i, md5(i::text), i / 2.0 FROM generate_series(1, $NT) i RETURNING i) SELECT sum(i) FROM w'],
	$RUNS);
SQL

# ---- call suite: numeric ----
# numeric: SELECT sum(f(x)) over N numeric(12,2) prices with f =
# round(x * 1.07, 2): LANGUAGE C (numeric_mul, numeric_round through
# fmgr), tmebox (the decimal API: tmebox_num_mul, tmebox_num_round; the
# argument's digits copied from its stored form, the result's checked and
# built into a Numeric, no text), plpgsql round(x * 1.07, 2), plpython3u Decimal with
# ROUND_HALF_UP; the baseline sums x.
log "call suite: numeric"
psql_run <<SQL
SET max_parallel_workers_per_gather = 0;
SET work_mem = '512MB';
CREATE TABLE bench.prices AS
	SELECT ((i::int8 * 7919) % 10000000) / 100.0 AS x FROM generate_series(1, $N) i;
VACUUM ANALYZE bench.prices;
CREATE FUNCTION bench.vat_c(numeric) RETURNS numeric
	AS 'bench_c', 'bench_c_vat' LANGUAGE C IMMUTABLE STRICT;
CREATE FUNCTION bench.vat_tmebox(x numeric) RETURNS numeric LANGUAGE tmebox IMMUTABLE STRICT AS \$\$
	static tmebox_numeric *rate;
	tmebox_numeric *p, *r;

	if (rate == NULL)
		rate = tmebox_num_parse("1.07");
	p = tmebox_num_mul(x, rate);
	r = tmebox_num_round(p, 2);
	free(p);
	return r;
\$\$;
CREATE FUNCTION bench.vat_plpgsql(x numeric) RETURNS numeric
	LANGUAGE plpgsql IMMUTABLE STRICT AS \$\$ BEGIN RETURN round(x * 1.07, 2); END \$\$;
CREATE FUNCTION bench.vat_plpython3u(x numeric) RETURNS numeric
	LANGUAGE plpython3u IMMUTABLE STRICT AS \$\$
from decimal import Decimal, ROUND_HALF_UP
return (x * Decimal('1.07')).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)
\$\$;
SELECT bench.measure('call', 'numeric',
	ARRAY['none', 'c', 'tmebox', 'plpgsql', 'plpython3u'],
	ARRAY['SELECT sum(x)::text FROM bench.prices',
		  'SELECT sum(bench.vat_c(x))::text FROM bench.prices',
		  'SELECT sum(bench.vat_tmebox(x))::text FROM bench.prices',
		  'SELECT sum(bench.vat_plpgsql(x))::text FROM bench.prices',
		  'SELECT sum(bench.vat_plpython3u(x))::text FROM bench.prices'],
	$RUNS);
SQL

# ---- scale suite: K tenants in one backend ----
# K tenants bench_tK_J each with a module "m" (inc, and tag() returning J,
# so that no two modules are identical and none is shared) and a function
# bench.sw_K_J bound to it; K functions bench.st_K_J all bound to tenant
# bench's module "peer" (one instance).  The two queries have the same
# CASE shape, so the difference is the tenant switch.
for K in $KS; do
	log "scale suite: $K tenants (compiling $K modules)"
	{
		echo "SET client_min_messages = warning;"
		for ((j = 0; j < K; j++)); do
			cat <<SQL
DROP ROLE IF EXISTS bench_r${K}_$j;
CREATE ROLE bench_r${K}_$j NOLOGIN;
SELECT tmebox.create_tenant('bench_t${K}_$j', owner => 'bench_r${K}_$j');
SELECT tmebox.create_module('bench_t${K}_$j', 'm', \$c\$
#include <stdint.h>
int32_t inc(int32_t x) { return (int32_t) ((uint32_t) x + 1); }
int32_t tag(void) { return $j; }
\$c\$);
-- bound through a SET clause (the validator checks the module), then
-- handed to the tenant's owner without it: a SET clause would cost a GUC
-- save/restore on every call
CREATE FUNCTION bench.sw_${K}_$j(int4) RETURNS int4
	LANGUAGE tmebox IMMUTABLE STRICT SET tmebox.tenant = 'bench_t${K}_$j' AS 'm.inc';
ALTER FUNCTION bench.sw_${K}_$j(int4) OWNER TO bench_r${K}_$j;
ALTER FUNCTION bench.sw_${K}_$j(int4) RESET tmebox.tenant;
CREATE FUNCTION bench.st_${K}_$j(int4) RETURNS int4
	LANGUAGE tmebox IMMUTABLE STRICT AS 'peer.inc';
SQL
		done
	} | psql_run >/dev/null

	sw="sum(CASE i % $K"
	st="sum(CASE i % $K"
	for ((j = 0; j < K; j++)); do
		sw="$sw WHEN $j THEN bench.sw_${K}_$j(i)"
		st="$st WHEN $j THEN bench.st_${K}_$j(i)"
	done
	sw="$sw END)"
	st="$st END)"
	# the backend's memory before and after its K instances are created
	psql_run -v n="$N" -v runs="$RUNS" -v k="$K" >/dev/null <<SQL
SET max_parallel_workers_per_gather = 0;
SELECT bench.inc_tmebox(1);
CREATE TEMP TABLE mem AS
	SELECT 'before'::text AS at, pg_read_file('/proc/self/smaps_rollup') AS smaps,
		   (SELECT count(*) FROM regexp_split_to_table(pg_read_file('/proc/self/maps'), E'\n') l
			WHERE l <> '') AS vmas;
SELECT $sw FROM generate_series(1, $K) i;
INSERT INTO mem
	SELECT 'after', pg_read_file('/proc/self/smaps_rollup'),
		   (SELECT count(*) FROM regexp_split_to_table(pg_read_file('/proc/self/maps'), E'\n') l
			WHERE l <> '');
INSERT INTO bench.sample
	SELECT 'scale', 'backend_k' || :k, what, 0,
		   (max(v) FILTER (WHERE at = 'after') - max(v) FILTER (WHERE at = 'before')) / :k, NULL
	FROM (SELECT at, 'rss_kB' AS what,
				 substring(smaps FROM 'Rss:\s+(\d+)')::float8 AS v FROM mem
		  UNION ALL
		  SELECT at, 'pss_kB', substring(smaps FROM 'Pss:\s+(\d+)')::float8 FROM mem
		  UNION ALL
		  SELECT at, 'vmas', vmas::float8 FROM mem) x
	GROUP BY what;
SELECT bench.measure('scale', 'switch_k' || :k, ARRAY['stay', 'switch'],
	ARRAY['SELECT $st FROM generate_series(1, $N) i',
		  'SELECT $sw FROM generate_series(1, $N) i'],
	:runs);
SQL
done

# ---- scale suite: S tenants sharing one function body ----
# S tenants bench_sJ (owners bench_rsJ) each with a function bench.sh_J
# whose C body is the same, one instance per tenant, all instances sharing
# one loaded module (their objects are byte-identical).  To save S - 1
# compiles (tmebox stores a compiled body per tenant and source hash), the
# first tenant's object is copied into the catalog for the others: exactly
# the bytes tmebox-cc would produce for them.
# In a fresh session each function is called once: time per first call
# (loading and creating the instance), and the backend's memory and
# mappings per instance.
log "scale suite: $S tenants sharing one function body"
{
	echo "SET client_min_messages = warning;"
	for ((j = 0; j < S; j++)); do
		cat <<SQL
DROP ROLE IF EXISTS bench_rs$j;
CREATE ROLE bench_rs$j NOLOGIN;
SELECT tmebox.create_tenant('bench_s$j', owner => 'bench_rs$j', memory_limit => '2MB');
INSERT INTO tmebox.body_object (tenant, source_hash, object)
	SELECT 'bench_s$j', source_hash, object FROM tmebox.body_object
	WHERE tenant = 'bench_s0' AND $j > 0;
CREATE FUNCTION bench.sh_$j(x int4) RETURNS int4
	LANGUAGE tmebox IMMUTABLE STRICT SET tmebox.tenant = 'bench_s$j'
	AS \$b\$ return (int32_t) ((uint32_t) x + 1); \$b\$;
ALTER FUNCTION bench.sh_$j(int4) OWNER TO bench_rs$j;
ALTER FUNCTION bench.sh_$j(int4) RESET tmebox.tenant;
SQL
	done
} | psql_run >/dev/null
psql_run -v s="$S" >/dev/null <<'SQL'
SET tmebox.max_instances = 40000;
SELECT set_config('bench.s', :'s', false);
SELECT bench.inc_tmebox(1);
CREATE TEMP TABLE mem AS
	SELECT 'before'::text AS at, pg_read_file('/proc/self/smaps_rollup') AS smaps,
		   (SELECT count(*) FROM regexp_split_to_table(pg_read_file('/proc/self/maps'), E'\n') l
			WHERE l <> '') AS vmas,
		   clock_timestamp() AS t;
DO $$
BEGIN
	FOR j IN 0 .. current_setting('bench.s')::int - 1 LOOP
		EXECUTE format('SELECT bench.sh_%s(1)', j);
	END LOOP;
END $$;
INSERT INTO mem
	SELECT 'after', pg_read_file('/proc/self/smaps_rollup'),
		   (SELECT count(*) FROM regexp_split_to_table(pg_read_file('/proc/self/maps'), E'\n') l
			WHERE l <> ''),
		   clock_timestamp();
INSERT INTO bench.sample
	SELECT 'scale', 'shared_s' || :s, what, 0, v, NULL
	FROM (SELECT 'instances' AS what,
				 (SELECT count(*) FROM tmebox.instances WHERE tenant LIKE 'bench_s%')::float8 AS v
		  UNION ALL
		  SELECT 'first_call_us',
				 extract(epoch FROM max(t) FILTER (WHERE at = 'after') -
						 max(t) FILTER (WHERE at = 'before')) * 1e6 / :s FROM mem
		  UNION ALL
		  SELECT 'rss_kB', (max(substring(smaps FROM 'Rss:\s+(\d+)')::float8) FILTER (WHERE at = 'after') -
							max(substring(smaps FROM 'Rss:\s+(\d+)')::float8) FILTER (WHERE at = 'before')) / :s FROM mem
		  UNION ALL
		  SELECT 'pss_kB', (max(substring(smaps FROM 'Pss:\s+(\d+)')::float8) FILTER (WHERE at = 'after') -
							max(substring(smaps FROM 'Pss:\s+(\d+)')::float8) FILTER (WHERE at = 'before')) / :s FROM mem
		  UNION ALL
		  SELECT 'vmas', (max(vmas) FILTER (WHERE at = 'after') -
						  max(vmas) FILTER (WHERE at = 'before'))::float8 / :s FROM mem) x;
SQL

# ---- compile suite ----
log "compile suite ($CRUNS runs)"
BIG=$("$HERE/gen-big-module.sh")
{
	echo "SET client_min_messages = warning;"
	# owned by a role of its own, so that the calls of the call and scale
	# suites (owned by this superuser) keep resolving to tenant "bench"
	echo "DROP ROLE IF EXISTS bench_ccr; CREATE ROLE bench_ccr NOLOGIN;"
	echo "SELECT tmebox.create_tenant('bench_cc', owner => 'bench_ccr', memory_limit => '256MB');"
	# a second tenant creating the same functions and modules: served by
	# the shared compile cache (tmebox.compiled_object)
	echo "DROP ROLE IF EXISTS bench_ccr2; CREATE ROLE bench_ccr2 NOLOGIN;"
	echo "SELECT tmebox.create_tenant('bench_cc2', owner => 'bench_ccr2', memory_limit => '256MB');"
	echo "CREATE SCHEMA IF NOT EXISTS bench2;"
	for ((r = 1; r <= CRUNS; r++)); do
		# interleaved: small module, CREATE FUNCTION with a body, big module
		cat <<SQL
SELECT clock_timestamp() AS t0 \gset
SELECT tmebox.create_module('bench_cc', 'small_$r', \$c\$
#include <stdint.h>
int32_t inc(int32_t x) { return x + $r; }
\$c\$) \g /dev/null
INSERT INTO bench.sample SELECT 'compile', 'create_module_small', 'tmebox', $r,
	extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1e9, NULL;
SELECT clock_timestamp() AS t0 \gset
CREATE FUNCTION bench.body_$r(x int4) RETURNS int4 LANGUAGE tmebox
	SET tmebox.tenant = 'bench_cc' AS \$\$ return x + $r; \$\$;
INSERT INTO bench.sample SELECT 'compile', 'create_function_body', 'tmebox', $r,
	extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1e9, NULL;
SELECT clock_timestamp() AS t0 \gset
-- division by zero unless the body returns the right value
SELECT 1 / (bench.body_$r(41) = 41 + $r)::int \g /dev/null
INSERT INTO bench.sample SELECT 'compile', 'first_call_body', 'tmebox', $r,
	extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1e9, NULL;
SELECT clock_timestamp() AS t0 \gset
SELECT tmebox.create_module('bench_cc2', 'small_$r', \$c\$
#include <stdint.h>
int32_t inc(int32_t x) { return x + $r; }
\$c\$) \g /dev/null
INSERT INTO bench.sample SELECT 'compile', 'create_module_small_cached', 'tmebox', $r,
	extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1e9, NULL;
SELECT clock_timestamp() AS t0 \gset
CREATE FUNCTION bench2.body_$r(x int4) RETURNS int4 LANGUAGE tmebox
	SET tmebox.tenant = 'bench_cc2' AS \$\$ return x + $r; \$\$;
INSERT INTO bench.sample SELECT 'compile', 'create_function_body_cached', 'tmebox', $r,
	extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1e9, NULL;
SELECT 1 / (bench2.body_$r(41) = 41 + $r)::int \g /dev/null
SELECT clock_timestamp() AS t0 \gset
SELECT tmebox.create_module('bench_cc', 'big_$r', \$c\$
$BIG
// run $r
\$c\$) \g /dev/null
INSERT INTO bench.sample SELECT 'compile', 'create_module_2000_lines', 'tmebox', $r,
	extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1e9, NULL;
SQL
	done
} | psql_run >/dev/null

# ---- results as CSV ----
log "writing results"
psql_run -v n="$N" <<'SQL' >>"$OUT"
-- call: ns per row, net of the query without a function, ratio to C
-- (the spi case runs over N/20 rows, the trigger case N/10)
WITH s AS (
	SELECT name, label, run, ns,
		   CASE name WHEN 'spi' THEN :n / 20 WHEN 'trigger' THEN :n / 10
			   ELSE :n END AS nrows
	FROM bench.sample WHERE suite = 'call'
), per AS (
	SELECT s.name, s.label, s.run, s.ns / s.nrows AS row_ns,
		   (s.ns - b.ns) / s.nrows AS net_ns, s.ns / c.ns AS ratio
	FROM s
	JOIN s b ON b.name = s.name AND b.run = s.run AND b.label = 'none'
	JOIN s c ON c.name = s.name AND c.run = s.run AND c.label = 'c'
)
SELECT format('call,%s,%s,%s,ns_per_row', name, label,
			  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY row_ns)::numeric, 1))
FROM per GROUP BY name, label
UNION ALL
SELECT format('call,%s,%s,%s,ns_per_call_net', name, label,
			  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY net_ns)::numeric, 1))
FROM per WHERE label <> 'none' GROUP BY name, label
UNION ALL
SELECT format('call,%s,%s,%s,x_c_per_row', name, label,
			  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio)::numeric, 3))
FROM per WHERE label NOT IN ('none', 'c') GROUP BY name, label;

-- scale: per-row cost staying in one tenant vs switching every row
WITH s AS (
	SELECT name, label, run, ns / :n AS row_ns FROM bench.sample
	WHERE suite = 'scale' AND name LIKE 'switch_k%'
), d AS (
	SELECT a.name, a.run, b.row_ns - a.row_ns AS delta
	FROM s a JOIN s b ON b.name = a.name AND b.run = a.run
	WHERE a.label = 'stay' AND b.label = 'switch'
)
SELECT format('scale,sql_%s_%s,tmebox,%s,ns_per_row', name, label,
			  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY row_ns)::numeric, 1))
FROM s GROUP BY name, label
UNION ALL
SELECT format('scale,sql_%s_delta,tmebox,%s,ns_per_row', name,
			  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY delta)::numeric, 1))
FROM d GROUP BY name
UNION ALL
SELECT format('scale,sql_%s_%s_per_instance,tmebox,%s,%s', name, label,
			  round(ns::numeric, 2), CASE WHEN label = 'vmas' THEN 'count' ELSE 'kB' END)
FROM bench.sample WHERE suite = 'scale' AND name LIKE 'backend_k%'
UNION ALL
SELECT format('scale,sql_%s_%s,tmebox,%s,%s', name, label, round(ns::numeric, 2),
			  CASE label WHEN 'vmas' THEN 'count' WHEN 'instances' THEN 'count'
				  WHEN 'first_call_us' THEN 'us' ELSE 'kB' END)
FROM bench.sample WHERE suite = 'scale' AND name LIKE 'shared_s%';

-- compile: median wall-clock ms
SELECT format('compile,%s,tmebox,%s,ms', name,
			  round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ns) / 1e6)::numeric, 1))
FROM bench.sample WHERE suite = 'compile' GROUP BY name;
SQL
log "done"
