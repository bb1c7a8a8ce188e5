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
TL_DATABASES=("$SRC" "$DST" regress_dump_tmp regress_dump_own)
TL_ROLES=(regress_dump_a regress_dump_b regress_dump_c regress_dump_f regress_dump_r1 regress_dump_r2)
tl_begin

psql_q -d postgres -c "CREATE ROLE regress_dump_a" -c "CREATE ROLE regress_dump_b" \
	-c "CREATE DATABASE $SRC" -c "CREATE DATABASE $DST"
{ echo "CREATE EXTENSION tmebox;"; tl_two_tenants_sql dump; } | psql_q -d "$SRC"

query="SELECT dist(0, 0, 3, 4), shout('dump me'), fib(50),
	(SELECT string_agg(name || ':' || memory_limit || ':' || owner::text, ',' ORDER BY name) FROM tmebox.tenants),
	(SELECT string_agg(tenant || '.' || name || '=' || array_to_string(exports, ';'), ',') FROM tmebox.modules)"
before=$(psql -X -At -d "$SRC" -c "$query")
check "functions work before the dump" \
	"5|DUMP ME|12586269025|dump_a:33554432:regress_dump_a,dump_b:67108864:regress_dump_b|dump_a.geo=double dist(double x1, double y1, double x2, double y2)" \
	"$before"

pg_dump -d "$SRC" -f "$work/dump.sql"
grep -q "COPY tmebox.module" "$work/dump.sql" && r=yes || r=no
check "the dump carries the module catalog" yes "$r"
grep -q "COPY tmebox.body_object" "$work/dump.sql" && r=yes || r=no
check "the dump carries the compiled function bodies" yes "$r"

psql_q -d "$DST" -f "$work/dump.sql" >/dev/null 2>"$work/err"
# KeyIDs are the cluster's (extension/pg/tpg_keyreg.c): $SRC holds the
# dumped ones, so the restored tenants get free ones, each with a WARNING
keys="SELECT keyid FROM tmebox.tenant"
check "restored tenants whose KeyIDs another database holds get new ones" "4 distinct, 2 warnings" \
	"$({ psql -X -At -d "$SRC" -c "$keys"; psql -X -At -d "$DST" -c "$keys"; } | sort -u | wc -l) distinct, $(grep -c 'WARNING:  tmebox tenant "dump_.*" gets KeyID' "$work/err") warnings"
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

# A tenant whose owner role the target lacks (issue 11): tmebox.tenant's
# owner is a tmebox.role_ref (extension/pg/tpg_role.c), so its COPY keeps
# every tenant, that one owner-less with a WARNING naming it; the others'
# functions run from their rows, the owner-less tenant's give a clear error
# (also to a role created later with the old name) until alter_tenant
# gives it an owner, which gets the restored schema (not own_r2_2) and is
# tracked by pg_shdepend.  Two tenants whose functions (named in their SET
# clause, so that they keep their tenant under --no-owner too) compute
# CHECKs and generated columns; restored with default options and with
# --no-owner.
OWN=regress_dump_own
psql_q -d postgres -c "CREATE ROLE regress_dump_r1" -c "CREATE ROLE regress_dump_r2" \
	-c "CREATE DATABASE $OWN"
psql_q -d "$OWN" <<'SQL'
CREATE EXTENSION tmebox;
GRANT USAGE ON LANGUAGE tmebox TO regress_dump_r1, regress_dump_r2;
SELECT tmebox.create_tenant('own_r1', owner => 'regress_dump_r1');
SELECT tmebox.create_tenant('own_r2', owner => 'regress_dump_r2');
SET ROLE regress_dump_r1;
CREATE FUNCTION own_r1.inc(v int4) RETURNS int4 LANGUAGE tmebox IMMUTABLE STRICT
	SET tmebox.tenant = 'own_r1' AS $$ return v + 1; $$;
CREATE TABLE own_r1.t (x int4 CHECK (own_r1.inc(x) > x),
					   y int4 GENERATED ALWAYS AS (own_r1.inc(x)) STORED);
INSERT INTO own_r1.t (x) SELECT generate_series(1, 20);
RESET ROLE;
SET ROLE regress_dump_r2;
CREATE FUNCTION own_r2.neg(v int4) RETURNS int4 LANGUAGE tmebox IMMUTABLE STRICT
	SET tmebox.tenant = 'own_r2' AS $$ return -v; $$;
CREATE TABLE own_r2.t (x int4 CHECK (own_r2.neg(x) < 0),
					   y int4 GENERATED ALWAYS AS (own_r2.neg(x)) STORED);
INSERT INTO own_r2.t (x) SELECT generate_series(1, 10);
RESET ROLE;
CREATE TABLE public.mix (x int4 CHECK (own_r1.inc(x) > own_r2.neg(x)),
						 a int4 GENERATED ALWAYS AS (own_r1.inc(x)) STORED,
						 b int4 GENERATED ALWAYS AS (own_r2.neg(x)) STORED);
INSERT INTO public.mix (x) SELECT generate_series(1, 30);
SQL
own_rows="SELECT (SELECT count(*) || ':' || sum(y) FROM own_r1.t),
	(SELECT count(*) || ':' || sum(y) FROM own_r2.t),
	(SELECT count(*) || ':' || sum(a) || ':' || sum(b) FROM public.mix)"
own_before=$(psql -X -At -d "$OWN" -c "$own_rows")
check "owner-less restore: the tables before the dump" "20:230|10:-55|30:495:-465" "$own_before"
pg_dump -Fc -d "$OWN" -f "$work/own.fc"
pg_restore -l "$work/own.fc" | grep -c ' TRIGGER ' >"$work/n" || true
check "owner-less restore: the dump carries no copy of tmebox's trigger" 0 "$(cat "$work/n")"
psql_q -d postgres -c "DROP DATABASE $OWN" -c "DROP ROLE regress_dump_r2"

owner_err()	# owner_err SQL: the ERROR and HINT lines of SQL (as the superuser)
{
	psql -X -At -d "$OWN" -c "$1" 2>&1 | sed -n 's/^.*\(ERROR\|HINT\):  /\1: /p' | tr '\n' ' '
}
r2_err='ERROR: tmebox tenant "own_r2" has no owner HINT: A superuser can give it one: SELECT tmebox.alter_tenant('"'own_r2'"', owner => '"'role'"'). '
for mode in default --no-owner; do
	opts=()
	[ "$mode" = default ] || opts=("$mode")
	fresh "$OWN"
	# errors for the missing role (ALTER ... OWNER TO, GRANT) are expected;
	# pg_restore shows the server's WARNINGs with --verbose only
	pg_restore -v "${opts[@]}" -d "$OWN" "$work/own.fc" 2>"$work/own.err" || true
	grep -c 'WARNING:  tmebox tenant "own_r2" has no owner' "$work/own.err" >"$work/n" || true
	check "owner role missing ($mode): a WARNING names the tenant" 1 "$(cat "$work/n")"
	check "owner role missing ($mode): every row restores" "$own_before" \
		"$(psql -X -At -d "$OWN" -c "$own_rows")"
	check "owner role missing ($mode): every tenant restores, the recorded owner of no role is -" \
		"own_r1:regress_dump_r1,own_r2:-" \
		"$(psql -X -At -d "$OWN" -c "SELECT string_agg(name || ':' || owner, ',' ORDER BY name) FROM tmebox.tenant")"
	[ "$mode" = default ] && r1_owner=regress_dump_r1 || r1_owner=NULL
	check "owner role missing ($mode): tmebox.tenants lists own_r2 owner-less" \
		"own_r1:$r1_owner,own_r2:NULL" \
		"$(psql -X -At -d "$OWN" -c "SELECT string_agg(name || ':' || COALESCE(owner::text, 'NULL'), ',' ORDER BY name) FROM tmebox.tenants")"
	check "owner role missing ($mode): the other tenant's functions run" "2|42" \
		"$(psql -X -At -d "$OWN" -c "SELECT own_r1.inc(1), own_r1.inc(41)")"
	check "owner role missing ($mode): the owner-less tenant's function gives a clear error" \
		"$r2_err" "$(owner_err "SELECT own_r2.neg(1)")"
	check "owner role missing ($mode): so does new code in it (DO, superuser)" \
		"$r2_err" "$(owner_err "SET tmebox.tenant = 'own_r2'; DO LANGUAGE tmebox \$\$ return; \$\$")"
	# a role created later with the old name gets nothing by itself
	psql_q -d postgres -c "CREATE ROLE regress_dump_r2"
	check "owner role missing ($mode): a new role of the old name does not get the tenant" \
		"NULL|$r2_err" \
		"$(psql -X -At -d "$OWN" -c "SELECT COALESCE(owner::text, 'NULL') FROM tmebox.tenants WHERE name = 'own_r2'")|$(owner_err "SELECT own_r2.neg(1)")"
	# alter_tenant gives it one: the restored schema, tracked by pg_shdepend
	psql_q -d "$OWN" -c "SELECT tmebox.alter_tenant('own_r2', owner => 'regress_dump_r2')" >/dev/null || true
	check "owner role missing ($mode): alter_tenant gives the tenant its owner and the restored schema" \
		"regress_dump_r2|own_r2|-3|10:-55" \
		"$(psql -X -At -d "$OWN" -c "SELECT (SELECT owner FROM tmebox.tenants WHERE name = 'own_r2'),
			(SELECT string_agg(nspname, ',') FROM pg_namespace WHERE nspname LIKE 'own_r2%' AND nspowner = 'regress_dump_r2'::regrole),
			own_r2.neg(3), (SELECT count(*) || ':' || sum(y) FROM own_r2.t)")"
	check "owner role missing ($mode): DROP ROLE of the new owner is refused" \
		'ERROR: role "regress_dump_r2" cannot be dropped because some objects depend on it ' \
		"$(psql -X -At -d "$OWN" -c "DROP ROLE regress_dump_r2" 2>&1 | sed -n 's/^.*\(ERROR\):  /\1: /p' | tr '\n' ' ')"
	psql_q -d postgres -c "DROP DATABASE $OWN" -c "DROP ROLE IF EXISTS regress_dump_r2"
done

tl_finish
