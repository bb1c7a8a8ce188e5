#!/bin/bash
# extension/scripts/test-dump.sh -- pg_dump / restore carries tenants,
# modules and LANGUAGE tmebox functions (issue 4): a database with two
# tenants, a module, module-bound and body functions is dumped and
# restored into a fresh database, where every function must return what it
# returned before, without recompiling anything the catalog already holds.
#
# Needs a running server reachable through PGHOST/PGPORT/PGUSER (a
# superuser), with tmebox installed; tmebox-dev.sh test runs it.
# Invariants: it creates and drops its own databases and roles (prefixed
# regress_dump), leaves nothing behind on success or failure, and prints
# "N passed, N failed" with a non-zero exit status on any failure.
set -euo pipefail

SRC=regress_dump_src
DST=regress_dump_dst
. "$(dirname "${BASH_SOURCE[0]}")/test-lib.sh"
TL_DATABASES=("$SRC" "$DST" regress_dump_tmp)
TL_ROLES=(regress_dump_a regress_dump_b regress_dump_c regress_dump_f)
tl_begin

psql_q -d postgres -c "CREATE ROLE regress_dump_a" -c "CREATE ROLE regress_dump_b" \
	-c "CREATE DATABASE $SRC" -c "CREATE DATABASE $DST"
{ echo "CREATE EXTENSION tmebox;"; tl_two_tenants_sql dump; } | psql_q -d "$SRC"

query="SELECT dist(0, 0, 3, 4), shout('dump me'), fib(50),
	(SELECT string_agg(name || ':' || keyid || ':' || memory_limit || ':' || owner::text, ',' ORDER BY name) FROM tmebox.tenants),
	(SELECT string_agg(tenant || '.' || name || '=' || array_to_string(exports, ';'), ',') FROM tmebox.modules)"
before=$(psql -X -At -d "$SRC" -c "$query")
check "functions work before the dump" \
	"5|DUMP ME|12586269025|dump_a:1:33554432:regress_dump_a,dump_b:2:67108864:regress_dump_b|dump_a.geo=double dist(double x1, double y1, double x2, double y2)" \
	"$before"

pg_dump -d "$SRC" -f "$work/dump.sql"
grep -q "COPY tmebox.module" "$work/dump.sql" && r=yes || r=no
check "the dump carries the module catalog" yes "$r"
grep -q "COPY tmebox.body_object" "$work/dump.sql" && r=yes || r=no
check "the dump carries the compiled function bodies" yes "$r"

psql_q -d "$DST" -f "$work/dump.sql" >/dev/null
# no compiler on the restore side: every object must come from the catalog
after=$(PGOPTIONS="-c tmebox.compiler_path=/nonexistent/tmebox-cc" psql -X -At -d "$DST" -c "$query")
check "functions work after the restore, from catalog objects only" "$before" "$after"

# tenant ids survive, and the id sequence with them: a new tenant gets a
# new id, not one of the restored tenants'
ids="SELECT string_agg(name || '=' || id, ',' ORDER BY id) FROM tmebox.tenant"
ids_before=$(psql -X -At -d "$SRC" -c "$ids")
psql -X -q -d "$DST" -c "SELECT tmebox.create_tenant('dump_c')" >/dev/null 2>&1 || true
check "tenant ids and their sequence are restored" "$ids_before,dump_c=3" \
	"$(psql -X -At -d "$DST" -c "$ids")"

# Tables that call tmebox functions while their rows load (issue 11):
# generated columns and CHECK constraints (run by COPY), an expression and
# a partial index (built after the data), a column default; module-bound
# and body functions; a module whose name is too long for a plain carrier
# name and whose source has quotes and a backslash.  pg_restore loads table
# data in name order (in parallel with -j), so tmebox's configuration rows
# come after these tables: the calls must run from the carriers pg_dump
# emitted before any data (extension/pg/tpg_carrier.c).
LONGMOD=a_module_name_long_enough_to_need_a_hashed_carrier
psql_q -d postgres -c "CREATE ROLE regress_dump_c" -c "CREATE ROLE regress_dump_f"
psql_q -d "$SRC" <<SQL
GRANT USAGE ON LANGUAGE tmebox TO regress_dump_c, regress_dump_f;
SELECT tmebox.create_tenant('dump_c', owner => 'regress_dump_c');
SELECT tmebox.create_module('dump_b', '$LONGMOD', \$\$
/* don't break on 'quotes' or a \\ backslash: "\\n" */
int half(int x) { return x / 2; }
\$\$);
SET ROLE regress_dump_b;
CREATE FUNCTION half(int4) RETURNS int4 LANGUAGE tmebox IMMUTABLE STRICT AS '$LONGMOD.half';
RESET ROLE;
SET ROLE regress_dump_a;
CREATE TABLE gen (x int4, y int8 GENERATED ALWAYS AS (fib(x)) STORED,
				  z int4 GENERATED ALWAYS AS (half(x)) STORED,
				  CHECK (fib(x) >= 0));
INSERT INTO gen SELECT generate_series(1, 40);
CREATE TABLE dump_a.calc (
	x int4 NOT NULL,
	d float8 GENERATED ALWAYS AS (dist(0, 0, x, x)) STORED,
	s text DEFAULT shout('dflt'),
	name text,
	CHECK (dist(0, 0, x, 0) = x),
	CHECK (shout(name) <> 'BAD'));
CREATE INDEX calc_expr ON dump_a.calc (shout(name));
CREATE INDEX calc_part ON dump_a.calc (x) WHERE dist(0, 0, x, 0) > 30;
INSERT INTO dump_a.calc (x, name) SELECT i, 'row ' || i FROM generate_series(1, 50) i;
RESET ROLE;
SET ROLE regress_dump_c;
CREATE FUNCTION dump_c.twice(v int4) RETURNS int4 LANGUAGE tmebox IMMUTABLE STRICT AS \$\$
	return 2 * v;
\$\$;
CREATE TABLE dump_c.t (x int4, y int4 GENERATED ALWAYS AS (dump_c.twice(x)) STORED);
INSERT INTO dump_c.t (x) SELECT generate_series(1, 10);
RESET ROLE;
SQL

# rows, generated values, defaults, valid indexes and what index scans find
tables="SET enable_seqscan = off;
SELECT (SELECT count(*) || ':' || sum(y) || ':' || sum(z) FROM public.gen),
	(SELECT count(*) || ':' || round(sum(d)::numeric, 6) || ':' || string_agg(DISTINCT s, ',') FROM dump_a.calc),
	(SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
	 WHERE c.relname IN ('calc_expr', 'calc_part') AND i.indisvalid AND i.indisready),
	(SELECT x FROM dump_a.calc WHERE public.shout(name) = 'ROW 7'),
	(SELECT count(*) FROM dump_a.calc WHERE public.dist(0, 0, x, 0) > 30 AND x < 45)"
state="$tables, (SELECT count(*) || ':' || sum(y) FROM dump_c.t)"
state_before=$(psql -X -At -d "$SRC" -c "$state" | tail -1)
check "tables calling tmebox functions, before the dump" \
	"40:267914295:400|50:1803.122292:DFLT|2|7|14|10:110" "$state_before"

pg_dump -Fc -d "$SRC" -f "$work/dump.fc"
pg_restore -l "$work/dump.fc" | grep -c "FUNCTION dump_[ab] __tmebox_" >"$work/n" || true
check "the dump carries the carriers (2 tenants, 2 modules)" 4 "$(cat "$work/n")"

fresh()
{
	psql_q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
}

# restore_check NAME PG_RESTORE_ARGS...: into a fresh $DST; no error, and
# every row, index and result as before
restore_check()
{
	local name=$1 rc=ok
	shift
	fresh "$DST"
	pg_restore -d "$DST" "$@" "$work/dump.fc" 2>"$work/err" || rc="failed: $(head -c 2000 "$work/err")"
	check "$name: pg_restore reports no error" ok "$rc"
	check "$name: every row, every index, same results" "$state_before" \
		"$(psql -X -At -d "$DST" -c "$state" | tail -1)"
}
restore_check "pg_restore with default options"
restore_check "pg_restore --single-transaction" --single-transaction
restore_check "pg_restore -j 2" -j 2

# The schema alone: the carriers, no configuration rows.  Functions run
# from the carriers (no KeyID yet), under the usual owner rules; carriers a
# tenant made itself never count.
TMP=regress_dump_tmp
fresh "$TMP"
pg_restore --schema-only -d "$TMP" "$work/dump.fc"
check "schema only: no tmebox rows" "0|0" \
	"$(psql -X -At -d "$TMP" -c "SELECT (SELECT count(*) FROM tmebox.tenant), (SELECT count(*) FROM tmebox.module)")"
check "schema only: functions run from the carriers, without a KeyID" "5|DUMP ME|6|t" \
	"$(psql -X -q -At -d "$TMP" -c "SET ROLE regress_dump_a" \
		-c "SELECT dist(0, 0, 3, 4), shout('dump me'), half(13),
				   (SELECT bool_and(keyid IS NULL) AND count(*) = 3 FROM tmebox.instances)")"
# a role without a tenant: a carrier it made in its own schema is no tenant
psql_q -d "$TMP" <<'SQL'
CREATE SCHEMA regress_dump_f AUTHORIZATION regress_dump_f;
SET ROLE regress_dump_f;
CREATE FUNCTION regress_dump_f.__tmebox_tenant() RETURNS int8 LANGUAGE sql IMMUTABLE
	AS 'SELECT 67108864::pg_catalog.int8 AS "regress_dump_f"';
SET check_function_bodies = off;
CREATE FUNCTION regress_dump_f.ev() RETURNS int4 LANGUAGE tmebox AS $$ return 1; $$;
CREATE FUNCTION regress_dump_f.ev_named() RETURNS int4 LANGUAGE tmebox
	SET tmebox.tenant = 'regress_dump_f' AS $$ return 1; $$;
SQL
forged()	# forged DB ROLE SQL: the error message of SQL run as ROLE
{
	psql -X -At -d "$1" -c "SET ROLE $2" -c "$3" 2>&1 | sed -n 's/^.*ERROR:  //p'
}
check "a forged tenant carrier makes no tenant" \
	'role "regress_dump_f" owns no tmebox tenant' \
	"$(forged "$TMP" regress_dump_f "SELECT regress_dump_f.ev()")"
check "a forged tenant carrier makes no tenant (named in SET tmebox.tenant)" \
	'tenant "regress_dump_f" does not exist' \
	"$(forged "$TMP" regress_dump_f "SELECT regress_dump_f.ev_named()")"
# a tenant's owner replaces its real carriers with its own
psql_q -d "$TMP" <<'SQL'
SET ROLE regress_dump_a;
CREATE FUNCTION dump_a.__tmebox_module_forged() RETURNS text LANGUAGE sql IMMUTABLE
	AS $$SELECT 'int f(void) { return 7; }'::pg_catalog.text$$;
SET check_function_bodies = off;
CREATE FUNCTION dump_a.forged_f() RETURNS int4 LANGUAGE tmebox AS 'forged.f';
SQL
check "a forged module carrier makes no module" \
	'module "forged" does not exist in tenant "dump_a"' \
	"$(forged "$TMP" regress_dump_a "SELECT dump_a.forged_f()")"
psql_q -d "$TMP" <<'SQL'
SET ROLE regress_dump_a;
DROP FUNCTION dump_a.__tmebox_tenant();
CREATE FUNCTION dump_a.__tmebox_tenant() RETURNS int8 LANGUAGE sql IMMUTABLE
	AS 'SELECT 67108864::pg_catalog.int8 AS "dump_a"';
SQL
check "a tenant carrier replaced by the tenant's owner counts no more" \
	'role "regress_dump_a" owns no tmebox tenant' \
	"$(forged "$TMP" regress_dump_a "SELECT shout('x')")"
psql_q -d postgres -c "DROP DATABASE $TMP"

# --data-only into a database that already has the schema
fresh "$DST"
pg_restore --schema-only -d "$DST" "$work/dump.fc"
rc=ok
pg_restore --data-only -d "$DST" "$work/dump.fc" 2>"$work/err" || rc="failed: $(head -c 300 "$work/err")"
check "pg_restore --data-only after --schema-only: no error" ok "$rc"
check "pg_restore --data-only after --schema-only: every row, every index, same results" \
	"$state_before" "$(psql -X -At -d "$DST" -c "$state" | tail -1)"

# The four passes the README gave before carriers still work.
fresh "$DST"
pg_restore --section=pre-data -d "$DST" "$work/dump.fc"
pg_restore --section=data --schema=tmebox -d "$DST" "$work/dump.fc"
pg_restore --section=data --exclude-schema=tmebox -d "$DST" "$work/dump.fc"
pg_restore --section=post-data -d "$DST" "$work/dump.fc"
check "four-pass restore keeps every row" "$state_before" \
	"$(psql -X -At -d "$DST" -c "$state" | tail -1)"

# A tenant whose owner role is missing on the target (here: dropped after
# the dump) must not make the other tenants' tables or functions fail.
psql_q -d postgres -c "DROP DATABASE $DST" -c "DROP DATABASE $SRC" -c "DROP ROLE regress_dump_c"
fresh "$DST"
pg_restore -d "$DST" "$work/dump.fc" 2>"$work/err" || true
check "owner role of tenant dump_c missing: the other tenants' tables keep every row" \
	"$(echo "$state_before" | cut -d'|' -f1-5)" \
	"$(psql -X -At -d "$DST" -c "$tables" | tail -1)"
check "owner role of tenant dump_c missing: the other tenants' functions run" \
	"5|DUMP ME|12586269025|6" \
	"$(psql -X -At -d "$DST" -c "SELECT dist(0, 0, 3, 4), shout('dump me'), fib(50), half(13)")"

tl_finish
