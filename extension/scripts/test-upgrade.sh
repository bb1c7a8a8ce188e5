#!/bin/bash
# extension/scripts/test-upgrade.sh -- ALTER EXTENSION tmebox UPDATE from
# 0.1 to the current version keeps tenants, modules and LANGUAGE tmebox
# functions working, and leaves the catalog a fresh CREATE EXTENSION
# tmebox would make (issue 11, "upgrades of tmebox itself").
#
# A database gets the 0.1 catalog (CREATE EXTENSION tmebox VERSION '0.1';
# the installed library is the current one, which serves 0.1 catalogs
# until the update: extension/pg/tpg_compat.c), tenants, modules,
# module-bound and body functions made with the 0.1 API (the 0.1
# declarations of drop_module / replace_module, without cascade), and a
# changed privilege on drop_module.  After the update the functions return
# what they returned, from the stored objects (no compiler), each tenant
# has its schema, the privilege is carried over, the 0.2 API works, and a
# query over every catalog of schema tmebox (relations, columns,
# constraints, indexes, views, functions, types, the language, extension
# membership and configuration, dependencies on the extension, comments
# and ACLs) gives the same text as in a fresh database with the same
# tenants.
#
# Needs a running server reachable through PGHOST/PGPORT/PGUSER (a
# superuser), with tmebox installed; tmebox-dev.sh test runs it.
# Invariants: it creates and drops its own databases and roles (prefixed
# regress_upg), leaves nothing behind on success or failure, and prints
# "N passed, N failed" with a non-zero exit status on any failure.
set -euo pipefail

OLD=regress_upg_old
NEW=regress_upg_new
. "$(dirname "${BASH_SOURCE[0]}")/test-lib.sh"
TL_DATABASES=("$OLD" "$NEW")
TL_ROLES=(regress_upg_a regress_upg_b regress_upg_c)
tl_begin

psql_q -d postgres -c "CREATE ROLE regress_upg_a" -c "CREATE ROLE regress_upg_b" \
	-c "CREATE ROLE regress_upg_c" \
	-c "CREATE DATABASE $OLD" -c "CREATE DATABASE $NEW"

# --- the 0.1 catalog, used with the 0.1 API -------------------------------
{ echo "CREATE EXTENSION tmebox VERSION '0.1';"; tl_two_tenants_sql upg; } | psql_q -d "$OLD" >/dev/null
psql_q -d "$OLD" >/dev/null <<'SQL'
-- named like a schema of another role (0.1 tenants have no schema)
CREATE SCHEMA upg_c AUTHORIZATION regress_upg_a;
SELECT tmebox.create_tenant('upg_c', owner => 'regress_upg_c');
SELECT tmebox.create_module('upg_b', 'tmp', 'int one(void) { return 1; }');
-- the 0.1 declaration: three arguments
SELECT tmebox.replace_module('upg_b', 'tmp', 'int one(void) { return 2; }');
SET ROLE regress_upg_b;
CREATE FUNCTION one() RETURNS int4 LANGUAGE tmebox AS 'tmp.one';
RESET ROLE;
-- a privilege changed by the DBA on a function the update redeclares
REVOKE EXECUTE ON FUNCTION tmebox.drop_module(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tmebox.drop_module(text, text) TO regress_upg_a;
SQL

r=$(psql -X -At -d "$OLD" -c "SELECT extversion FROM pg_extension WHERE extname = 'tmebox'")
check "CREATE EXTENSION tmebox VERSION '0.1' installs 0.1" "0.1" "$r"

# drop_module through its 0.1 declaration (no cascade argument): the new
# library reads no third argument and refuses to break one()
r=$(psql -X -At -d "$OLD" -c "\\set VERBOSITY sqlstate" \
	-c "SELECT tmebox.drop_module('upg_b', 'tmp')" 2>&1 | sed 's/^ERROR: *//' || true)
check "0.1 drop_module(tenant, name) under the new library: cascade is false" "2BP01" "$r"

query="SELECT dist(0, 0, 3, 4), shout('upgrade me'), fib(50), one(),
	(SELECT string_agg(name || ':' || memory_limit || ':' || owner::text, ',' ORDER BY name) FROM tmebox.tenants),
	(SELECT string_agg(tenant || '.' || name || '=' || array_to_string(exports, ';'), ',' ORDER BY tenant, name) FROM tmebox.modules)"
before=$(psql -X -At -d "$OLD" -c "$query")
check "0.1 functions work" \
	"5|UPGRADE ME|12586269025|2|upg_a:33554432:regress_upg_a,upg_b:67108864:regress_upg_b,upg_c:67108864:regress_upg_c|upg_a.geo=double dist(double x1, double y1, double x2, double y2),upg_b.tmp=int one(void)" \
	"$before"

# --- the update ---------------------------------------------------------
# A tenant whose name is a schema of another role: the update stops with
# create_tenant's error and changes nothing, until the schema is given to
# the tenant's owner.
r=$(psql -X -At -d "$OLD" -c "\\set VERBOSITY sqlstate" -c "ALTER EXTENSION tmebox UPDATE" 2>&1 |
	sed 's/^ERROR: *//' || true)
r="$r $(psql -X -At -d "$OLD" -c "SELECT extversion FROM pg_extension WHERE extname = 'tmebox'")"
check "a tenant named like another role's schema stops the update (42P06), nothing changed" \
	"42P06 0.1" "$r"
psql_q -d "$OLD" -c "ALTER SCHEMA upg_c OWNER TO regress_upg_c"

psql_q -d "$OLD" -c "ALTER EXTENSION tmebox UPDATE"
current=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" \
	"$(pg_config --sharedir)/extension/tmebox.control")
r=$(psql -X -At -d "$OLD" -c "SELECT extversion FROM pg_extension WHERE extname = 'tmebox'")
check "ALTER EXTENSION tmebox UPDATE reaches the default version" "$current" "$r"

# no compiler: every object must come from the catalog
after=$(PGOPTIONS="-c tmebox.compiler_path=/nonexistent/tmebox-cc" psql -X -At -d "$OLD" -c "$query")
check "functions work after the update, from stored objects only" "$before" "$after"

r=$(psql -X -At -d "$OLD" -c "
	SELECT string_agg(t.name || ':' || pg_get_userbyid(n.nspowner) || ':' || (t.nsp = n.oid)
					  || ':' || d.deptype::text, ',' ORDER BY t.name)
	FROM tmebox.tenant t
	LEFT JOIN pg_namespace n ON n.nspname = t.name
	LEFT JOIN pg_depend d ON d.classid = 'pg_namespace'::regclass AND d.objid = n.oid
		AND d.refclassid = 'pg_extension'::regclass")
check "each tenant has its schema, owned by its owner, recorded, depending on tmebox (not a member)" \
	"upg_a:regress_upg_a:true:n,upg_b:regress_upg_b:true:n,upg_c:regress_upg_c:true:n" "$r"

r=$(psql -X -At -d "$OLD" -c "
	SELECT has_function_privilege('regress_upg_a', 'tmebox.drop_module(text,text,boolean)', 'EXECUTE'),
		   has_function_privilege('regress_upg_b', 'tmebox.drop_module(text,text,boolean)', 'EXECUTE'),
		   to_regprocedure('tmebox.drop_module(text,text)') IS NULL,
		   to_regprocedure('tmebox.replace_module(text,text,text)') IS NULL")
check "drop_module(cascade) keeps the privileges of the 0.1 declaration, which is gone" \
	"t|f|t|t" "$r"
# back to the default privileges (the same steps in the fresh database)
acl_back=(-c "GRANT EXECUTE ON FUNCTION tmebox.drop_module(text, text, boolean) TO PUBLIC"
	-c "REVOKE EXECUTE ON FUNCTION tmebox.drop_module(text, text, boolean) FROM regress_upg_a")
psql_q -d "$OLD" "${acl_back[@]}"

# the 0.2 API: REASSIGN OWNED moves the tenant with its schema, cascade
r=$(psql -X -q -At -d "$OLD" -c "SET ROLE regress_upg_a" -c "SELECT owner FROM tmebox.tenants WHERE name = 'upg_a'" \
	-c "RESET ROLE" -c "SELECT tmebox.drop_module('upg_b', 'tmp', cascade => true)" \
	-c "SELECT to_regprocedure('public.one()') IS NULL, count(*) FROM tmebox.module")
check "0.2 API after the update: tenant_owner, drop_module(cascade => true)" \
	"$(printf 'regress_upg_a\n\nt|1')" "$r"

# --- the catalog equals a fresh install's ---------------------------------
psql_q -d "$NEW" >/dev/null <<'SQL'
CREATE EXTENSION tmebox;
SELECT tmebox.create_tenant('upg_a', owner => 'regress_upg_a', memory_limit => '32MB');
SELECT tmebox.create_tenant('upg_b', owner => 'regress_upg_b');
SELECT tmebox.create_tenant('upg_c', owner => 'regress_upg_c');
GRANT USAGE ON LANGUAGE tmebox TO regress_upg_a, regress_upg_b;
REVOKE EXECUTE ON FUNCTION tmebox.drop_module(text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tmebox.drop_module(text, text, boolean) TO regress_upg_a;
SQL
psql_q -d "$NEW" "${acl_back[@]}"

# Everything about schema tmebox, one line per fact, in text that does not
# depend on OIDs.  ACLs are sorted (GRANT and REVOKE append and remove
# items); NULL (never granted or revoked) is shown as "default".
catalog="
CREATE FUNCTION pg_temp.acl(a aclitem[]) RETURNS text LANGUAGE sql IMMUTABLE
	AS 'SELECT COALESCE((SELECT array_agg(i::text ORDER BY i::text)::text FROM unnest(a) i), ''default'')';
WITH ns AS (SELECT 'tmebox'::regnamespace::oid AS oid),
	 ext AS (SELECT oid FROM pg_extension WHERE extname = 'tmebox')
SELECT * FROM (
SELECT 'schema', nspname::text, pg_get_userbyid(nspowner) || ' ' ||
	pg_temp.acl(nspacl) || ' ' ||
	COALESCE(obj_description(n.oid, 'pg_namespace'), '-')
FROM pg_namespace n, ns WHERE n.oid = ns.oid
UNION ALL
SELECT 'relation', c.relname::text, concat_ws(' ', c.relkind, c.relpersistence,
	pg_get_userbyid(c.relowner), c.reloptions::text, c.relrowsecurity, c.relforcerowsecurity,
	c.relreplident, c.relhasindex,
	pg_temp.acl(c.relacl),
	COALESCE(obj_description(c.oid, 'pg_class'), '-'))
FROM pg_class c, ns WHERE c.relnamespace = ns.oid
UNION ALL
SELECT 'column', c.relname || '.' || a.attnum, concat_ws(' ', a.attname,
	format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, a.attgenerated,
	a.attstorage, a.attcompression, co.collname, pg_temp.acl(a.attacl),
	pg_get_expr(d.adbin, d.adrelid), COALESCE(col_description(c.oid, a.attnum), '-'))
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
	JOIN ns ON c.relnamespace = ns.oid
	LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0
	LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint', conrelid::regclass || ' ' || conname, pg_get_constraintdef(k.oid) || ' ' ||
	COALESCE(obj_description(k.oid, 'pg_constraint'), '-')
FROM pg_constraint k, ns WHERE k.connamespace = ns.oid
UNION ALL
SELECT 'index', i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid, ns WHERE c.relnamespace = ns.oid
UNION ALL
SELECT 'view', c.relname::text, pg_get_viewdef(c.oid)
FROM pg_class c, ns WHERE c.relnamespace = ns.oid AND c.relkind IN ('v', 'm')
UNION ALL
SELECT 'trigger', tgrelid::regclass || ' ' || tgname, pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid, ns
WHERE c.relnamespace = ns.oid AND NOT t.tgisinternal
UNION ALL
SELECT 'sequence', s.seqrelid::regclass::text, concat_ws(' ', format_type(s.seqtypid, NULL),
	s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle)
FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid, ns WHERE c.relnamespace = ns.oid
UNION ALL
SELECT 'function', p.oid::regprocedure::text, pg_get_functiondef(p.oid) || ' ' ||
	pg_get_userbyid(p.proowner) || ' ' || pg_temp.acl(p.proacl) || ' ' ||
	COALESCE(obj_description(p.oid, 'pg_proc'), '-')
FROM pg_proc p, ns WHERE p.pronamespace = ns.oid
UNION ALL
SELECT 'type', t.typname::text, concat_ws(' ', t.typtype, t.typcategory, t.typrelid::regclass,
	COALESCE(obj_description(t.oid, 'pg_type'), '-'))
FROM pg_type t, ns WHERE t.typnamespace = ns.oid
UNION ALL
SELECT 'policy', pol.polrelid::regclass || ' ' || pol.polname, pol.polcmd::text || ' ' ||
	COALESCE(pg_get_expr(pol.polqual, pol.polrelid), '-')
FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid, ns WHERE c.relnamespace = ns.oid
UNION ALL
SELECT 'language', l.lanname::text, concat_ws(' ', l.lanpltrusted, l.lanplcallfoid::regproc,
	l.laninline::regproc, l.lanvalidator::regproc, pg_get_userbyid(l.lanowner),
	pg_temp.acl(l.lanacl),
	COALESCE(obj_description(l.oid, 'pg_language'), '-'))
FROM pg_language l WHERE l.lanname = 'tmebox'
UNION ALL
SELECT 'extension', e.extname::text, concat_ws(' ', e.extversion, e.extrelocatable,
	e.extnamespace::regnamespace, e.extconfig::regclass[]::text, e.extcondition::text)
FROM pg_extension e, ext WHERE e.oid = ext.oid
UNION ALL
SELECT 'depends on extension', pg_describe_object(d.classid, d.objid, d.objsubid), d.deptype::text
FROM pg_depend d, ext
WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid
UNION ALL
SELECT 'tenant', t.name, concat_ws(' ', t.owner, t.memory_limit, t.nsp = n.oid,
	pg_get_userbyid(n.nspowner), pg_temp.acl(n.nspacl), COALESCE(obj_description(n.oid, 'pg_namespace'), '-'))
FROM tmebox.tenant t LEFT JOIN pg_namespace n ON n.nspname = t.name
) AS facts(kind, object, fact)
ORDER BY kind, object COLLATE \"C\", fact COLLATE \"C\""

psql -X -At -v ON_ERROR_STOP=1 -d "$OLD" -c "$catalog" >"$work/updated.txt"
psql -X -At -v ON_ERROR_STOP=1 -d "$NEW" -c "$catalog" >"$work/fresh.txt"
if diff -u "$work/fresh.txt" "$work/updated.txt" >"$work/catalog.diff"; then
	r=same
else
	r=different
	echo "--- fresh install, +++ updated from 0.1:"
	cat "$work/catalog.diff"
fi
check "the updated catalog equals a fresh install's ($(wc -l <"$work/fresh.txt") facts)" same "$r"
# KeyIDs are the cluster's (extension/pg/tpg_keyreg.c), also those given
# by create_tenant on the 0.1 catalog: the two databases share none
keys="SELECT keyid FROM tmebox.tenant"
check "the updated and the fresh database hold different KeyIDs" 6 \
	"$({ psql -X -At -d "$OLD" -c "$keys"; psql -X -At -d "$NEW" -c "$keys"; } | sort -u | wc -l)"

tl_finish
