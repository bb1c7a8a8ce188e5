#!/bin/bash
# extension/scripts/test-shards.sh -- LANGUAGE tmebox functions sharded
# with PL/Proxy (issue 15): deployed to every shard in one step by
# tmebox-shard-deploy.sh, compiled once, called by key and on all shards.
#
# Two shard clusters are made with initdb on private Unix sockets
# (separate servers, each with its own catalog and compile cache, as real
# shards); the proxy is a database of the running cluster (it only needs
# PL/Proxy, not tmebox).  Each shard runs tmebox-cc through a wrapper that
# logs every compile; both wrappers are byte-identical, so both shards
# have the same compiler build id (the compile cache key).  Checked: the
# deploy commits on both shards with one compile per object on the first
# and none on the second, identical objects on both; calls routed by key
# (RUN ON hashtext(key)) always land on the shard PL/Proxy's hash names
# and return what the function returns there, a set-returning one
# included; RUN ON ALL sums match and return every shard's rows; a
# deploy that compiles on shard 1 but clashes with a function on shard 2
# changes nothing on either shard (no module, no cache row, no prepared
# transaction); --recover commits a deploy committed on one shard and
# rolls back one committed nowhere.  Prints the cost of a routed call
# (the README's "Scaling out" quotes one run).
#
# Needs PL/Proxy (postgresql-15-plproxy, which tmebox-dev.sh installs) and
# a running server reachable through PGHOST (a Unix socket directory),
# PGPORT, PGUSER (a superuser) with tmebox installed; runs as root (the
# shards run as the "postgres" user) or as that user.  tmebox-dev.sh test
# runs it.
# Invariants: Unix sockets only (the shards listen on no TCP port, each in
# its own socket directory, so they share $PGPORT without a clash); the
# shards and their directory are removed and the proxy database dropped on
# every exit (trap); installs nothing; prints "N passed, N failed" with a
# non-zero exit status on any failure.
set -euo pipefail

DB=regress_shards
PROXY=regress_shards_proxy
PG_BIN=$(pg_config --bindir)
TOOL=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tmebox-shard-deploy.sh
base=
. "$(dirname "${BASH_SOURCE[0]}")/test-lib.sh"
TL_DATABASES=("$PROXY")

tl_cleanup_extra()
{
	if [ -n "$base" ]; then
		tl_stop_server "$base/s0/data"
		tl_stop_server "$base/s1/data"
		rm -rf "$base"
	fi
	base=
}
tl_begin

[ -f "$(pg_config --sharedir)/extension/plproxy.control" ] \
	|| { fail "PL/Proxy is installed" "no plproxy.control (apt-get install postgresql-15-plproxy)"; tl_finish; }

# --- two shard clusters ----------------------------------------------------
base=$(mktemp -d /tmp/tmebox-shards.XXXXXX)
chmod 755 "$base"
for n in 0 1; do
	mkdir -p "$base/s$n/sock" "$base/s$n/cc"
	cat >"$base/s$n/cc/tmebox-cc" <<EOF
#!/bin/sh
# logs each compile next to itself; the same bytes for every shard
echo "\$*" >>"\$0.log"
exec "$PG_BIN/tmebox-cc" "\$@"
EOF
	chmod 755 "$base/s$n/cc/tmebox-cc"
	chown -R postgres: "$base/s$n" 2>/dev/null || true
	chmod 700 "$base/s$n/sock"
	tl_as_pg "$PG_BIN/initdb" -D "$base/s$n/data" -U postgres -A trust -E UTF8 --locale=C \
		>"$base/s$n/initdb.log" 2>&1 &
done
wait
for n in 0 1; do
	cat >>"$base/s$n/data/postgresql.conf" <<EOF

# test-shards.sh: shard $n on a private socket
listen_addresses = ''
port = $PGPORT
unix_socket_directories = '$base/s$n/sock'
cluster_name = 'shard$n'
max_prepared_transactions = 4
fsync = off
tmebox.compiler_path = '$base/s$n/cc/tmebox-cc'
EOF
	tl_as_pg "$PG_BIN/pg_ctl" -D "$base/s$n/data" -l "$base/s$n/server.log" -w -t 60 start >/dev/null \
		|| { cat "$base/s$n/server.log"; exit 1; }
done

shard() { echo "host=$base/s$1/sock port=$PGPORT dbname=$DB user=$PGUSER"; }
on_shard() { local n=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -d "$(shard "$n")" "$@"; }
on_proxy() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$PROXY" "$@"; }
compiles() { if [ -f "$base/s$1/cc/tmebox-cc.log" ]; then wc -l <"$base/s$1/cc/tmebox-cc.log"; else echo 0; fi; }
both() { echo "$(on_shard 0 -c "$1")/$(on_shard 1 -c "$1")"; }

# Roles are cluster-wide: each shard gets the tenant's owner first.
for n in 0 1; do
	psql_q -d "host=$base/s$n/sock port=$PGPORT dbname=postgres" \
		-c "CREATE ROLE regress_shards_owner" -c "CREATE DATABASE $DB"
	on_shard "$n" -c "CREATE EXTENSION tmebox" \
		-c "GRANT USAGE ON LANGUAGE tmebox TO regress_shards_owner"
done

# --- deploy: a tenant, a module, module-bound and body functions, and the
# application's table and SQL functions that call them -------------------
cat >"$work/deploy1.sql" <<'SQL'
SELECT tmebox.create_tenant('shop', owner => 'regress_shards_owner');
SELECT tmebox.create_module('shop', 'pricing', $$
#include <stdint.h>
int64_t price(int32_t qty, int32_t cents) { return (int64_t) qty * cents; }
$$);
SET ROLE regress_shards_owner;
CREATE FUNCTION shop.price(qty int4, cents int4) RETURNS int8
	LANGUAGE tmebox IMMUTABLE STRICT AS 'pricing.price';
CREATE FUNCTION shop.checksum(t text) RETURNS int4 LANGUAGE tmebox IMMUTABLE STRICT AS $$
	uint32_t h = 2166136261u;
	for (uint32_t i = 0; i < t->len; i++) { h ^= (unsigned char) t->data[i]; h *= 16777619u; }
	return (int32_t) (h & 0x7fffffff);
$$;
CREATE FUNCTION shop.codes(t text) RETURNS SETOF int4 LANGUAGE tmebox IMMUTABLE STRICT AS $$
	tmebox_array_i32 *r = tmebox_array_i32_new(t->len);
	for (uint32_t i = 0; i < t->len; i++)
		r->v[i] = (unsigned char) t->data[i];
	return r;
$$;
RESET ROLE;
-- a superuser owns no tenant: its function names one
CREATE FUNCTION shop.twice(x int8) RETURNS int8 LANGUAGE tmebox IMMUTABLE STRICT
	SET tmebox.tenant = 'shop' AS $$ return x * 2; $$;
CREATE TABLE public.orders (key text NOT NULL, qty int4 NOT NULL, cents int4 NOT NULL);
CREATE FUNCTION public.add_order(key text, qty int4, cents int4) RETURNS text LANGUAGE sql AS $$
	INSERT INTO public.orders VALUES (key, qty, cents);
	SELECT pg_catalog.current_setting('cluster_name');
$$;
CREATE FUNCTION public.order_total() RETURNS int8 LANGUAGE sql STABLE AS $$
	SELECT coalesce(sum(shop.price(qty, cents)), 0)::int8 FROM public.orders;
$$;
SQL

out=$("$TOOL" --id first "$work/deploy1.sql" "$(shard 0)" "$(shard 1)" 2>&1) && r=0 || r=$?
echo "$out" | sed 's/^/    /'
check "the deploy commits on both shards" \
	"0|tmebox-shard-deploy: deploy first committed on all 2 shards" "$r|$(echo "$out" | tail -1)"
check "the tool sees 4 compiles on shard 1 and 4 cache hits on shard 2" "4 compiled/0 compiled, 4 from" \
	"$(echo "$out" | grep -o 'shard 1 prepared ([0-9]* compiled' | grep -o '[0-9]* compiled')/$(echo "$out" | grep -o 'shard 2 prepared ([0-9]* compiled, [0-9]* from' | grep -o '[0-9]* compiled, [0-9]* from')"
check "tmebox-cc ran 4 times on shard 1, never on shard 2" "4/0" "$(compiles 0)/$(compiles 1)"
objs="SELECT md5(string_agg(md5(object), ',' ORDER BY o))
	FROM (SELECT 'm' || name AS o, object FROM tmebox.module UNION ALL
		  SELECT 'b' || source_hash, object FROM tmebox.body_object) x"
r=$(both "$objs")
check "both shards hold the same compiled objects" "${r%%/*}/${r%%/*}" "$r"
check "both shards run the functions" \
	"60|3406 6812|60|3406 6812" \
	"$(on_shard 0 -c "SELECT shop.price(3, 20) || '|' || shop.twice(1703) || ' ' || shop.twice(3406)")|$(on_shard 1 -c "SELECT shop.price(3, 20) || '|' || shop.twice(1703) || ' ' || shop.twice(3406)")"
check "the deploy is recorded on both shards, nothing left prepared" "1|0/1|0" \
	"$(both "SELECT (SELECT count(*) FROM tmebox_deploy.deploy WHERE id = 'first') || '|' || (SELECT count(*) FROM pg_prepared_xacts)")"

# --- the proxy --------------------------------------------------------------
psql_q -d postgres -c "CREATE DATABASE $PROXY"
on_proxy <<SQL
CREATE EXTENSION plproxy;
CREATE SERVER shards FOREIGN DATA WRAPPER plproxy
	OPTIONS (p0 '$(shard 0)', p1 '$(shard 1)');
CREATE USER MAPPING FOR PUBLIC SERVER shards;
CREATE SCHEMA shop;
-- routed by key: the shard (hash & 1) holding the key's rows
CREATE FUNCTION add_order(key text, qty int4, cents int4) RETURNS text
	LANGUAGE plproxy AS \$\$ CLUSTER 'shards'; RUN ON hashtext(key); \$\$;
CREATE FUNCTION where_is(key text) RETURNS text LANGUAGE plproxy AS \$\$
	CLUSTER 'shards'; RUN ON hashtext(key); SELECT pg_catalog.current_setting('cluster_name');
\$\$;
CREATE FUNCTION shop.checksum(t text) RETURNS int4
	LANGUAGE plproxy AS \$\$ CLUSTER 'shards'; RUN ON hashtext(t); \$\$;
CREATE FUNCTION shop.price(qty int4, cents int4) RETURNS int8
	LANGUAGE plproxy AS \$\$ CLUSTER 'shards'; RUN ON qty; \$\$;
CREATE FUNCTION shop.codes(t text) RETURNS SETOF int4
	LANGUAGE plproxy AS \$\$ CLUSTER 'shards'; RUN ON hashtext(t); \$\$;
-- fanned out: one row per shard; every shard's rows
CREATE FUNCTION order_total() RETURNS SETOF int8
	LANGUAGE plproxy AS \$\$ CLUSTER 'shards'; RUN ON ALL; \$\$;
CREATE FUNCTION codes_everywhere(t text) RETURNS SETOF int4
	LANGUAGE plproxy AS \$\$ CLUSTER 'shards'; RUN ON ALL; TARGET shop.codes; \$\$;
CREATE TABLE keys AS SELECT 'customer-' || i AS key, i FROM generate_series(1, 40) i;
SQL

# Every key three times: all its orders must land on one shard, the one
# PL/Proxy's hash names.
r=$(on_proxy -c "SELECT count(*) FILTER (WHERE add_order(key, i + j, 100 + j) <> 'shard' || (hashtext(key) & 1))
	FROM keys, generate_series(1, 3) j")
check "120 routed inserts each land on the shard of their key's hash" 0 "$r"
r=$(on_proxy -c "SELECT count(*) FILTER (WHERE where_is(key) <> 'shard' || (hashtext(key) & 1)) FROM keys")
check "the same key is routed to the same shard again" 0 "$r"
expect0=$(on_proxy -c "SELECT string_agg(key || ':3', ',' ORDER BY key) FROM keys WHERE hashtext(key) & 1 = 0")
expect1=$(on_proxy -c "SELECT string_agg(key || ':3', ',' ORDER BY key) FROM keys WHERE hashtext(key) & 1 = 1")
rows="SELECT string_agg(key || ':' || n, ',' ORDER BY key) FROM (SELECT key, count(*) n FROM orders GROUP BY key) x"
check "each shard holds exactly its keys' orders, both shards used" \
	"$expect0/$expect1" "$(both "$rows")"
if [ -z "$expect0" ] || [ -z "$expect1" ]; then
	fail "both shards get keys" "one shard got none"
fi

sums=$(on_proxy -c "SELECT count(*) || '|' || sum(t) FROM order_total() t")
local_sum=$(on_proxy -c "SELECT sum((i + j)::int8 * (100 + j)) FROM keys, generate_series(1, 3) j")
r=$(both "SELECT order_total()")
check "RUN ON ALL returns one total per shard, summing to all orders' prices" \
	"2|$local_sum|$local_sum" "$sums|$(( ${r%%/*} + ${r##*/} ))"

r=$(on_proxy -c "SELECT string_agg(shop.checksum(key)::text, ',' ORDER BY key) FROM keys")
check "a routed tmebox call returns what the function returns on a shard" \
	"$(on_shard 0 -c "SELECT string_agg(shop.checksum('customer-' || i)::text, ',' ORDER BY 'customer-' || i) FROM generate_series(1, 40) i")" "$r"

r=$(on_proxy -c "SELECT string_agg(c::text, ',') FROM shop.codes('abc') c" \
	-c "SELECT count(*) || '|' || sum(c) FROM codes_everywhere('abc') c")
check "a set-returning tmebox function routed by key, and on all shards" "97,98,99 6|588" "${r//$'\n'/ }"

# --- a deploy that fails half-way changes nothing anywhere -------------------
# shard 2 already has a function shop.discount(int4): the module compiles
# on shard 1, then CREATE FUNCTION clashes on shard 2.
on_shard 1 -c "CREATE FUNCTION shop.discount(int4) RETURNS int4 LANGUAGE sql AS 'SELECT \$1'"
cat >"$work/deploy2.sql" <<'SQL'
SELECT tmebox.create_module('shop', 'discounts', 'int discount(int cents) { return cents - cents / 10; }');
SET ROLE regress_shards_owner;
CREATE FUNCTION shop.discount(int4) RETURNS int4 LANGUAGE tmebox IMMUTABLE STRICT AS 'discounts.discount';
RESET ROLE;
CREATE TABLE public.discounted (x int4);
SQL
state="SELECT (SELECT count(*) FROM tmebox.module) || '|' || (SELECT count(*) FROM tmebox.compiled_object)
	|| '|' || (SELECT count(*) FROM tmebox_deploy.deploy) || '|' || (SELECT count(*) FROM pg_prepared_xacts)
	|| '|' || coalesce((SELECT string_agg(l.lanname, ',') FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
						WHERE p.proname = 'discount'), '') || '|' || coalesce(to_regclass('public.discounted')::text, '-')"
before=$(both "$state")
out=$("$TOOL" --id second "$work/deploy2.sql" "$(shard 0)" "$(shard 1)" 2>&1) && r=0 || r=$?
echo "$out" | sed 's/^/    /'
check "a deploy clashing on shard 2 fails and says it rolled back" \
	"1|tmebox-shard-deploy: deploy second rolled back on every shard: nothing changed" "$r|$(echo "$out" | tail -1)"
echo "$out" | grep -q 'function "discount" already exists' && r=yes || r=no
check "the failure names the clash" yes "$r"
check "the module compiled on shard 1 only" "5/0" "$(compiles 0)/$(compiles 1)"
check "before the failed deploy: modules, cache rows, deploys, prepared, discount(), table" \
	"1|4|1|0||-/1|4|1|0|sql|-" "$before"
check "after it nothing changed on either shard" "$before" "$(both "$state")"

# --- phase 2 interrupted: --recover -----------------------------------------
# r1 was committed on shard 1 only (the tool stopped during phase 2): it
# is committed on shard 2; r2 is prepared everywhere, committed nowhere:
# it is rolled back.
for n in 0 1; do
	on_shard "$n" -c "BEGIN" -c "CREATE TABLE public.r1 (x int)" \
		-c "INSERT INTO tmebox_deploy.deploy VALUES ('r1', 'test')" -c "PREPARE TRANSACTION 'tmebox_deploy_r1'"
	on_shard "$n" -c "BEGIN" -c "CREATE TABLE public.r2 (x int)" \
		-c "INSERT INTO tmebox_deploy.deploy VALUES ('r2', 'test')" -c "PREPARE TRANSACTION 'tmebox_deploy_r2'"
done
on_shard 0 -c "COMMIT PREPARED 'tmebox_deploy_r1'"
out=$("$TOOL" --recover "$(shard 0)" "$(shard 1)" 2>&1) && r=0 || r=$?
echo "$out" | sed 's/^/    /'
check "--recover commits r1 (committed on shard 1) and rolls back r2" \
	"0|tmebox-shard-deploy: deploy r1: commit (committed on some shard: yes) tmebox-shard-deploy: deploy r2: rollback (committed on some shard: no) " \
	"$r|$(echo "$out" | tr '\n' ' ')"
check "afterwards r1 is on both shards, r2 on none, nothing prepared" "r1|-|0/r1|-|0" \
	"$(both "SELECT coalesce(to_regclass('public.r1')::text, '-') || '|' || coalesce(to_regclass('public.r2')::text, '-') || '|' || (SELECT count(*) FROM pg_prepared_xacts)")"

# --- the cost of a routed call ----------------------------------------------
# N calls of shop.price through the proxy (each a round trip to a shard)
# against the same N calls on a shard; the first call of each warms up.
N=2000
timed()		# timed CONNINFO: milliseconds of the sum, after a warm-up
{
	psql -X -q -At -d "$1" -c "SELECT shop.price(1, 1)" -c "\\timing on" \
		-c "SELECT sum(shop.price(i, 3)) FROM generate_series(1, $N) i" \
		| sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
via_proxy=$(timed "dbname=$PROXY")
direct=$(timed "$(shard 0)")
check "the sum is the same through the proxy and on a shard" \
	"$(on_shard 0 -c "SELECT sum(shop.price(i, 3)) FROM generate_series(1, $N) i")" \
	"$(on_proxy -c "SELECT sum(shop.price(i, 3)) FROM generate_series(1, $N) i")"
awk -v p="$via_proxy" -v d="$direct" -v n="$N" 'BEGIN {
	printf "info: SELECT sum(shop.price(i, 3)) FROM generate_series(1, %d): %.1f ms through the proxy, %.1f ms on a shard: %.1f us per routed call, %.0fx\n",
		n, p, d, 1000 * p / n, p / d }'

r=$(grep -hcE "ERROR|FATAL|PANIC" "$base"/s0/server.log "$base"/s1/server.log | paste -sd/)
# shard 2's log holds the failed deploy's error, nothing else
check "the shards' logs hold only the expected clash error" "0/1" "$r"
[ "$r" = 0/1 ] || grep -E -A2 "ERROR|FATAL|PANIC" "$base"/s[01]/server.log | head -20

tl_finish
