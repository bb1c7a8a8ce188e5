-- depend: dependencies a DBA can rely on.  drop_module / replace_module
-- refuse to break functions bound to a module's exports (cascade => true
-- drops them); each tenant has a schema owned by its owner, so DROP ROLE,
-- REASSIGN OWNED and ALTER FUNCTION ... OWNER TO have PostgreSQL's
-- meaning; DROP EXTENSION leaves nothing a new CREATE EXTENSION trips on.
\set VERBOSITY default
CREATE ROLE regress_dep_a;
CREATE ROLE regress_dep_b;
CREATE ROLE regress_dep_c;
GRANT USAGE ON LANGUAGE tmebox TO regress_dep_a, regress_dep_b, regress_dep_c;
SELECT tmebox.create_tenant('regress_dep_a', owner => 'regress_dep_a') > 0 AS created;
SELECT tmebox.create_tenant('regress_dep_b', owner => 'regress_dep_b') > 0 AS created;
-- each tenant has a schema of its name, owned by its owner
SELECT nspname, nspowner::regrole FROM pg_namespace
WHERE nspname LIKE 'regress_dep%' ORDER BY 1;
-- a schema of another role is never taken over
CREATE SCHEMA regress_dep_taken AUTHORIZATION regress_dep_b;
SELECT tmebox.create_tenant('regress_dep_taken', owner => 'regress_dep_a');
DROP SCHEMA regress_dep_taken;

-- two tenants with a module of the same name
SELECT tmebox.create_module('regress_dep_a', 'm', $$
int f(int x) { return x + 1; }
int g(int x) { return 2 * x; }
$$) AS exports;
SELECT tmebox.create_module('regress_dep_b', 'm', $$
int f(int x) { return x + 100; }
$$) AS exports;

-- the owner creates functions in its tenant's schema ($user in search_path)
SET ROLE regress_dep_a;
CREATE FUNCTION f(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'm.f';
CREATE FUNCTION g(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'm.g';
CREATE FUNCTION counter() RETURNS int4 LANGUAGE tmebox AS $$
	static int n;
	return ++n;
$$;
SELECT f(1), g(2), counter(), counter();
RESET ROLE;
SET ROLE regress_dep_b;
CREATE FUNCTION fb(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'm.f';
SELECT fb(1);
RESET ROLE;
-- bound to tenant b's module through its own SET clause, owned by a superuser
CREATE FUNCTION public.regress_dep_fx(int4) RETURNS int4 LANGUAGE tmebox STRICT
SET tmebox.tenant = 'regress_dep_b' AS 'm.f';
SELECT pg_proc.oid::regprocedure, pronamespace::regnamespace, proowner::regrole
FROM pg_proc WHERE prolang = (SELECT oid FROM pg_language WHERE lanname = 'tmebox')
ORDER BY 1::text;

-- 1. drop_module / replace_module with dependent functions
SELECT tmebox.drop_module('regress_dep_a', 'm');
SELECT tmebox.drop_module('regress_dep_b', 'm');
-- same exports and signatures (and one more): allowed, the new code runs
SELECT tmebox.replace_module('regress_dep_a', 'm', $$
int f(int x) { return x + 2; }
int g(int x) { return 3 * x; }
int h(void) { return 0; }
$$) AS exports;
SELECT regress_dep_a.f(1), regress_dep_a.g(2);
-- an export changes its signature, another one vanishes: refused, unchanged
SELECT tmebox.replace_module('regress_dep_a', 'm', $$
int f(int x) { return x + 3; }
long long g(long long x) { return x; }
$$);
SELECT tmebox.replace_module('regress_dep_a', 'm', $$
int g(int x) { return 4 * x; }
$$);
SELECT regress_dep_a.f(1), regress_dep_a.g(2);
-- cascade: the functions bound to vanished or changed exports are dropped,
-- with what depends on them
CREATE VIEW regress_dep_a.gv AS SELECT regress_dep_a.g(5) AS g;
SELECT tmebox.replace_module('regress_dep_a', 'm', $$
int f(int x) { return x + 3; }
$$, cascade => true) AS exports;
SELECT regress_dep_a.f(1);
SELECT proname FROM pg_proc WHERE pronamespace = 'regress_dep_a'::regnamespace ORDER BY 1;
-- only this tenant's functions: tenant b's fb and regress_dep_fx stay
SELECT tmebox.drop_module('regress_dep_a', 'm', cascade => true);
SELECT proname FROM pg_proc WHERE pronamespace = 'regress_dep_a'::regnamespace ORDER BY 1;
SELECT regress_dep_b.fb(1) AS b_still_runs;
SELECT tmebox.create_module('regress_dep_a', 'm', $$
int f(int x) { return x + 1; }
$$) AS exports;
SET ROLE regress_dep_a;
CREATE FUNCTION f(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'm.f';
RESET ROLE;

-- 1b. a function naming, in its SET clause, a tenant its owner may not run
-- code in never runs there, so it depends on none of that tenant's modules
-- (red team s3 F4): CREATE FUNCTION refuses the clause, ALTER FUNCTION
-- ... SET takes it; b's drop_module is neither blocked by a's function nor
-- (with cascade) drops it and a's view
SELECT tmebox.create_module('regress_dep_a', 'n', $$
int f(int x) { return -x; }
$$) AS exports;
SELECT tmebox.create_module('regress_dep_b', 'n', $$
int f(int x) { return x; }
$$) AS exports;
SET ROLE regress_dep_a;
CREATE FUNCTION squat(int4) RETURNS int4 LANGUAGE tmebox STRICT
SET tmebox.tenant = 'regress_dep_b' AS 'n.f';
CREATE FUNCTION squat(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'n.f';
ALTER FUNCTION squat(int4) SET tmebox.tenant = 'regress_dep_b';
CREATE VIEW squat_v AS SELECT squat(7) AS v;
SELECT * FROM squat_v;
RESET ROLE;
-- the rule of binding: as a member of b's owner role, a may use tenant b,
-- and then its function is one of b's dependents
GRANT regress_dep_b TO regress_dep_a;
SELECT * FROM regress_dep_a.squat_v AS runs_in_b;
SELECT tmebox.drop_module('regress_dep_b', 'n');
-- and no longer once the membership is revoked (the session's binding too)
REVOKE regress_dep_b FROM regress_dep_a;
SELECT * FROM regress_dep_a.squat_v;
SELECT tmebox.replace_module('regress_dep_b', 'n', $$
int g(int x) { return x; }
$$) AS exports;
SELECT tmebox.drop_module('regress_dep_b', 'n', cascade => true);
SELECT pg_proc.oid::regprocedure, proconfig FROM pg_proc WHERE proname = 'squat';
SELECT * FROM regress_dep_a.squat_v;
DROP VIEW regress_dep_a.squat_v;
DROP FUNCTION regress_dep_a.squat(int4);
SELECT tmebox.drop_module('regress_dep_a', 'n');

-- 2. roles.  DROP ROLE of a tenant's owner is refused by PostgreSQL
DROP ROLE regress_dep_a;
-- ALTER FUNCTION ... OWNER TO: the function runs in the tenant of its new
-- owner from its next call (bound again: that tenant's module, that
-- tenant's globals), never with what it had in the old one
SELECT regress_dep_a.counter(), regress_dep_a.counter();
ALTER FUNCTION regress_dep_a.counter() OWNER TO regress_dep_c;
SELECT regress_dep_a.counter();
ALTER FUNCTION regress_dep_a.counter() OWNER TO regress_dep_b;
SELECT regress_dep_a.counter() AS fresh_in_b;
ALTER FUNCTION regress_dep_a.counter() OWNER TO regress_dep_a;
ALTER FUNCTION regress_dep_b.fb(int4) OWNER TO regress_dep_a;
SELECT regress_dep_b.fb(1) AS now_a_module;
ALTER FUNCTION regress_dep_b.fb(int4) OWNER TO regress_dep_b;
-- a function that names its tenant keeps it; an owner that may not use
-- it is refused
ALTER FUNCTION public.regress_dep_fx(int4) OWNER TO regress_dep_a;
SELECT public.regress_dep_fx(1);
ALTER FUNCTION public.regress_dep_fx(int4) OWNER TO regress_dep_b;
SELECT public.regress_dep_fx(1);
-- REASSIGN OWNED moves the tenant (its schema) with the functions: they go
-- on running in the same tenant, now owned by the new role
REASSIGN OWNED BY regress_dep_a TO regress_dep_c;
SELECT name, owner FROM tmebox.tenants WHERE name LIKE 'regress_dep%' ORDER BY 1;
SELECT regress_dep_a.f(1);
SET ROLE regress_dep_c;
SELECT tmebox.replace_module('regress_dep_a', 'm', $$
int f(int x) { return x + 10; }
$$) AS exports;
RESET ROLE;
SELECT regress_dep_a.f(1);
-- the old owner owns nothing any more and can go
DROP OWNED BY regress_dep_a;
DROP ROLE regress_dep_a;
SELECT name, owner FROM tmebox.tenants WHERE name LIKE 'regress_dep%' ORDER BY 1;
-- a role that then owns two tenants must choose: never silently one of them
REASSIGN OWNED BY regress_dep_b TO regress_dep_c;
SELECT regress_dep_a.f(1);
SELECT regress_dep_b.fb(1);
SELECT tmebox.alter_tenant('regress_dep_b', owner => 'regress_dep_b');
ALTER FUNCTION regress_dep_b.fb(int4) OWNER TO regress_dep_b;
SELECT nspname, nspowner::regrole FROM pg_namespace
WHERE nspname LIKE 'regress_dep%' ORDER BY 1;
SELECT regress_dep_a.f(1), regress_dep_b.fb(1);

-- 2b. a tenant's schema is the one whose OID was recorded, whatever its
-- name (red team s3 F5).  b's schema is renamed and another role creates
-- a schema of b's name: b's tenant keeps its schema and owner, its
-- functions run, and alter_tenant acts on the renamed schema
ALTER SCHEMA regress_dep_b RENAME TO regress_dep_b_old;
CREATE SCHEMA regress_dep_b AUTHORIZATION regress_dep_c;
SELECT name, owner FROM tmebox.tenants WHERE name LIKE 'regress_dep%' ORDER BY 1;
SELECT regress_dep_b_old.fb(1);
CREATE ROLE regress_dep_d;
SELECT tmebox.alter_tenant('regress_dep_b', owner => 'regress_dep_d');
SELECT nspname, nspowner::regrole FROM pg_namespace
WHERE nspname LIKE 'regress_dep%' ORDER BY 1;
SELECT tmebox.alter_tenant('regress_dep_b', owner => 'regress_dep_b');
SELECT name, owner FROM tmebox.tenants WHERE name LIKE 'regress_dep%' ORDER BY 1;
-- a tenant named like the renamed schema does not take it
SELECT tmebox.create_tenant('regress_dep_b_old', owner => 'regress_dep_b');
DROP SCHEMA regress_dep_b;
ALTER SCHEMA regress_dep_b_old RENAME TO regress_dep_b;
-- after a restore the recorded OID is stale and may be any schema's: it
-- counts only for a schema tmebox recorded, never for another role's; the
-- schema of the tenant's name its recorded owner owns is the tenant's,
-- and the next alter_tenant records its OID again
CREATE SCHEMA regress_dep_x AUTHORIZATION regress_dep_c;
UPDATE tmebox.tenant SET nsp = 'regress_dep_x'::regnamespace
WHERE name = 'regress_dep_b';
SELECT name, owner FROM tmebox.tenants WHERE name LIKE 'regress_dep%' ORDER BY 1;
SELECT regress_dep_b.fb(1);
SELECT tmebox.alter_tenant('regress_dep_b', memory_limit => '32MB');
SELECT nsp::regnamespace FROM tmebox.tenant WHERE name = 'regress_dep_b';
DROP SCHEMA regress_dep_x;
-- a tenant whose schema is gone, with another role's schema of its name:
-- nobody owns it until alter_tenant gives it a new schema of a free name
-- (never the other role's); drop_tenant drops that one
SELECT tmebox.create_tenant('regress_dep_e', owner => 'regress_dep_d') > 0 AS created;
DROP SCHEMA regress_dep_e CASCADE;
CREATE SCHEMA regress_dep_e AUTHORIZATION regress_dep_c;
SELECT name, owner FROM tmebox.tenants WHERE name = 'regress_dep_e';
SELECT tmebox.alter_tenant('regress_dep_e', owner => 'regress_dep_d');
SELECT name, owner FROM tmebox.tenants WHERE name = 'regress_dep_e';
SELECT nspname, nspowner::regrole FROM pg_namespace
WHERE nspname LIKE 'regress_dep_e%' ORDER BY 1;
SELECT tmebox.drop_tenant('regress_dep_e');
SELECT nspname, nspowner::regrole FROM pg_namespace
WHERE nspname LIKE 'regress_dep_e%' ORDER BY 1;
DROP SCHEMA regress_dep_e;
DROP ROLE regress_dep_d;

-- 3. DROP EXTENSION: refused while tenants and functions exist; CASCADE
-- leaves nothing that CREATE EXTENSION and the same tenants trip on
\set VERBOSITY terse
DROP EXTENSION tmebox;
\set VERBOSITY default
SET client_min_messages = warning;
DROP EXTENSION tmebox CASCADE;
RESET client_min_messages;
SELECT count(*) AS left_behind FROM pg_namespace WHERE nspname LIKE 'regress_dep%';
SELECT count(*) AS functions_left FROM pg_proc WHERE proname IN ('f', 'g', 'fb', 'counter', 'regress_dep_fx');
CREATE EXTENSION tmebox;
GRANT USAGE ON LANGUAGE tmebox TO regress_dep_c;
SELECT tmebox.create_tenant('regress_dep_a', owner => 'regress_dep_c') > 0 AS created;
SELECT tmebox.create_module('regress_dep_a', 'm', $$
int f(int x) { return x + 1; }
$$) AS exports;
SET ROLE regress_dep_c;
CREATE FUNCTION regress_dep_a.f(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'm.f';
SELECT regress_dep_a.f(41);
RESET ROLE;

-- clean up
SELECT tmebox.drop_tenant('regress_dep_a');
SELECT tmebox.drop_module('regress_dep_a', 'm', cascade => true);
SELECT tmebox.drop_tenant('regress_dep_a');
SELECT count(*) AS left_behind FROM pg_namespace WHERE nspname LIKE 'regress_dep%';
DROP OWNED BY regress_dep_b, regress_dep_c;
DROP ROLE regress_dep_b, regress_dep_c;
