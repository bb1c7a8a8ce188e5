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
work=$(mktemp -d)
passed=0
failed=0

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

cleanup()
{
	psql_q -d postgres -c "DROP DATABASE IF EXISTS $SRC" -c "DROP DATABASE IF EXISTS $DST" \
		-c "DROP ROLE IF EXISTS regress_dump_a" -c "DROP ROLE IF EXISTS regress_dump_b" \
		>/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
cleanup
work=$(mktemp -d)

check()		# check NAME EXPECTED ACTUAL
{
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1)); echo "ok   $1"
	else
		failed=$((failed + 1)); echo "FAIL $1: expected [$2], got [$3]"
	fi
}

psql_q -d postgres -c "CREATE ROLE regress_dump_a" -c "CREATE ROLE regress_dump_b" \
	-c "CREATE DATABASE $SRC" -c "CREATE DATABASE $DST"
psql_q -d "$SRC" <<'SQL'
CREATE EXTENSION tmebox;
GRANT USAGE ON LANGUAGE tmebox TO regress_dump_a, regress_dump_b;
GRANT CREATE ON SCHEMA public TO regress_dump_a, regress_dump_b;
SELECT tmebox.create_tenant('dump_a', owner => 'regress_dump_a', memory_limit => '32MB');
SELECT tmebox.create_tenant('dump_b', owner => 'regress_dump_b');
SELECT tmebox.create_module('dump_a', 'geo', $$
#include <math.h>
double dist(double x1, double y1, double x2, double y2)
{
	return sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
}
$$);
SET ROLE regress_dump_a;
CREATE FUNCTION dist(float8, float8, float8, float8) RETURNS float8
	LANGUAGE tmebox IMMUTABLE STRICT AS 'geo.dist';
CREATE FUNCTION shout(t text) RETURNS text LANGUAGE tmebox IMMUTABLE STRICT AS $$
	tmebox_buf *r = tmebox_buf_new(t->len);
	for (uint32_t i = 0; i < t->len; i++)
		r->data[i] = (char) toupper((unsigned char) t->data[i]);
	return r;
$$;
RESET ROLE;
SET ROLE regress_dump_b;
CREATE FUNCTION fib(n int4) RETURNS int8 LANGUAGE tmebox IMMUTABLE STRICT AS $$
	int64_t a = 0, b = 1;
	for (int32_t i = 0; i < n; i++) { int64_t t = a + b; a = b; b = t; }
	return a;
$$;
RESET ROLE;
SQL

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

# A table whose generated column and CHECK constraint call a tmebox
# function.  pg_restore loads table data in name order, so tmebox's
# configuration rows may come after the table (issue 11, still open); the
# README's Operations section gives a restore in four passes that loads
# them first.  This checks that procedure.
psql_q -d "$SRC" <<'SQL'
SET ROLE regress_dump_a;
CREATE TABLE gen (x int4, y int8 GENERATED ALWAYS AS (fib(x)) STORED,
				  CHECK (fib(x) >= 0));
RESET ROLE;
SQL
psql_q -d "$SRC" -c "SET ROLE regress_dump_a" -c "INSERT INTO gen SELECT generate_series(1, 40)"
gen_before=$(psql -X -At -d "$SRC" -c "SELECT count(*), sum(y) FROM gen")
pg_dump -Fc -d "$SRC" -f "$work/dump.fc"
psql_q -d postgres -c "DROP DATABASE $DST" -c "CREATE DATABASE $DST"
pg_restore --section=pre-data -d "$DST" "$work/dump.fc"
pg_restore --section=data --schema=tmebox -d "$DST" "$work/dump.fc"
pg_restore --section=data --exclude-schema=tmebox -d "$DST" "$work/dump.fc"
pg_restore --section=post-data -d "$DST" "$work/dump.fc"
gen_after=$(psql -X -At -d "$DST" -c "SELECT count(*), sum(y) FROM gen")
check "generated column and CHECK with a tmebox function: four-pass restore keeps every row" \
	"$gen_before" "$gen_after"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
