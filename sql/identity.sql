-- identity: inside a session a tenant is its id (tmebox.tenant.id, never
-- reused) and creation time, not its name or KeyID (issue 11).  A tenant
-- row replaced by another with the same name, owner, KeyID, limit and
-- creation time but a new id is another tenant: the session's sandboxes
-- of the old one never serve it, and its globals start afresh.
CREATE ROLE regress_identity;
SELECT tmebox.create_tenant('identity', owner => 'regress_identity') > 0 AS created;
SET check_function_bodies = off;
CREATE FUNCTION identity.counter() RETURNS int8 LANGUAGE tmebox AS 'static int64_t n; return ++n;';
ALTER FUNCTION identity.counter() OWNER TO regress_identity;
RESET check_function_bodies;

SELECT identity.counter(), identity.counter();

-- ids: set by the catalog, one per tenant, never given twice
SELECT id > 0 AS has_id FROM tmebox.tenant WHERE name = 'identity';
\set VERBOSITY terse
INSERT INTO tmebox.tenant (name, owner, keyid, memory_limit, id)
	VALUES ('identity_x', 'regress_identity', 999, 67108864, 1);
\set VERBOSITY default

-- the same row under a new id (a superuser editing the catalog)
CREATE TEMP TABLE old_row AS SELECT * FROM tmebox.tenant WHERE name = 'identity';
BEGIN;
DELETE FROM tmebox.tenant WHERE name = 'identity';
INSERT INTO tmebox.tenant (name, owner, keyid, memory_limit, created_at, nsp)
	SELECT name, owner, keyid, memory_limit, created_at, nsp FROM old_row;
COMMIT;
SELECT t.id <> o.id AS new_id, t.created_at = o.created_at AS same_creation,
	   t.keyid = o.keyid AS same_keyid, t.owner = o.owner AS same_owner
FROM tmebox.tenant t, old_row o WHERE t.name = 'identity';
-- any change of the catalog makes functions rebind (here: the same limit)
SELECT tmebox.alter_tenant('identity', memory_limit => '64MB');
-- another tenant: a fresh sandbox, globals from the start
SELECT identity.counter(), identity.counter();

DROP FUNCTION identity.counter();
SELECT tmebox.drop_tenant('identity');
DROP ROLE regress_identity;
