-- owner: a tenant's recorded owner is a tmebox.role_ref (extension/pg/tpg_role.c),
-- a role's OID written as its name; a name of no role reads as none ("-")
-- with a WARNING, so a restore without the owner role keeps the tenant,
-- owner-less; such a tenant runs no code until alter_tenant gives it an
-- owner, and a role created later with the old name does not get it.
-- (The restore itself: extension/scripts/test-dump.sh.)
\pset null '(null)'
CREATE ROLE regress_own_a;
CREATE ROLE "Regress Own";

-- a role by name, same OID as regrole; quoted when its name needs it
SELECT 'regress_own_a'::tmebox.role_ref AS by_name,
       'regress_own_a'::tmebox.role_ref::oid = 'regress_own_a'::regrole::oid AS same_oid,
       '"Regress Own"'::tmebox.role_ref AS quoted;
-- no role: "-", with a WARNING for a name of no role; "-" itself is none
SELECT 'regress_own_missing'::tmebox.role_ref AS missing,
       'regress_own_missing'::tmebox.role_ref::oid AS missing_oid,
       '-'::tmebox.role_ref::oid AS dash_oid;
SELECT 'a.b'::tmebox.role_ref;
-- a number is a name, never an OID (another role of that OID never matches)
SET client_min_messages = error;
SELECT (oid::text)::tmebox.role_ref::oid AS number_is_no_oid
FROM pg_roles WHERE rolname = 'regress_own_a';
RESET client_min_messages;
-- an OID of no role is written "-" (a dump never carries a bare OID)
SELECT 4000000000::oid::tmebox.role_ref AS dangling;
-- the binary form is the name too
SELECT convert_from(tmebox.role_ref_send('regress_own_a'::tmebox.role_ref), 'UTF8') AS sent;
-- identity is the OID: a renamed role is written with its new name
CREATE TABLE own_t (r tmebox.role_ref);
INSERT INTO own_t VALUES ('regress_own_a');
ALTER ROLE regress_own_a RENAME TO regress_own_b;
SELECT r FROM own_t;
DROP TABLE own_t;

-- a tenant row as a restore without its owner role loads it: a WARNING
-- for the role and one naming the tenant
INSERT INTO tmebox.tenant (name, owner, keyid, memory_limit)
SELECT 'regress_own_orphan', 'regress_own_missing'::tmebox.role_ref,
       COALESCE(max(keyid), 0) + 1, 2097152 FROM tmebox.tenant;
SELECT owner FROM tmebox.tenants WHERE name = 'regress_own_orphan';
SELECT owner FROM tmebox.tenant WHERE name = 'regress_own_orphan';
-- it runs no code, not even a superuser's, with a hint
SET tmebox.tenant = 'regress_own_orphan';
DO $$ tmebox_notice("runs"); $$ LANGUAGE tmebox;
-- a role created later with the old name does not get it
CREATE ROLE regress_own_missing;
SELECT owner FROM tmebox.tenants WHERE name = 'regress_own_orphan';
DO $$ tmebox_notice("runs"); $$ LANGUAGE tmebox;
-- alter_tenant gives it one (and a schema, owned by it)
SELECT tmebox.alter_tenant('regress_own_orphan', owner => 'regress_own_missing');
SELECT t.owner, n.nspowner::regrole AS schema_owner
FROM tmebox.tenants t JOIN pg_namespace n ON n.nspname = t.name
WHERE t.name = 'regress_own_orphan';
DO $$ tmebox_notice("runs"); $$ LANGUAGE tmebox;
RESET tmebox.tenant;
SELECT tmebox.drop_tenant('regress_own_orphan');
DROP ROLE regress_own_missing;
DROP ROLE regress_own_b;
DROP ROLE "Regress Own";
