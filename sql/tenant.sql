-- tenant: create_tenant, alter_tenant, drop_tenant, the tenants view,
-- KeyID allocation and every input error.  Starts and ends with no tenant.
\pset null '(null)'

-- SQLSTATE and message of a statement that is expected to fail
CREATE FUNCTION pg_temp.try(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	state text;
	msg text;
BEGIN
	EXECUTE query;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
	RETURN state || ': ' || msg;
END
$$;

CREATE ROLE regress_tenant_owner;
SELECT count(*) AS tenants FROM tmebox.tenants;

--
-- Creating: KeyIDs start at 1, defaults are the current user and 64MB
--
SELECT tmebox.create_tenant('acme');
SELECT tmebox.create_tenant('globex', 'regress_tenant_owner', '1GB');
SELECT tmebox.create_tenant(name => 'initech', memory_limit => '2560kB');
SELECT tmebox.create_tenant('_under_score_9', owner => 'regress_tenant_owner');
SELECT name, owner = current_user::regrole AS owner_is_me,
       CASE WHEN owner = current_user::regrole THEN '(me)' ELSE owner::text END AS owner,
       keyid,
       memory_limit,
       created_at BETWEEN now() - interval '1 hour' AND now() AS created_now
FROM tmebox.tenants ORDER BY keyid;

-- memory limits: PostgreSQL memory units, no unit means bytes, bounds included
SELECT tmebox.create_tenant('m_min', memory_limit => '2MB');
SELECT tmebox.create_tenant('m_max', memory_limit => '3GB');
SELECT tmebox.create_tenant('m_bytes', memory_limit => '2097152');
SELECT tmebox.create_tenant('m_b', memory_limit => '2097152B');
SELECT tmebox.create_tenant('m_frac', memory_limit => '1.5GB');
SELECT tmebox.create_tenant('m_space', memory_limit => ' 64 MB');
SELECT tmebox.create_tenant('m_tb', memory_limit => '0.001TB');
SELECT name, keyid, memory_limit FROM tmebox.tenants
WHERE name LIKE 'm\_%' ORDER BY keyid;

-- the longest name is 63 characters
SELECT tmebox.create_tenant(repeat('n', 63));
SELECT length(name), keyid FROM tmebox.tenants WHERE name LIKE 'nnn%';

--
-- KeyIDs: lowest free, never 0, reused after a drop
--
SELECT tmebox.drop_tenant('globex');
SELECT tmebox.drop_tenant('m_min');
SELECT tmebox.create_tenant('hooli');
SELECT tmebox.create_tenant('soylent');
SELECT tmebox.create_tenant('tyrell');
SELECT name, keyid FROM tmebox.tenants ORDER BY keyid;
SELECT min(keyid) >= 1 AS never_zero, count(DISTINCT keyid) = count(*) AS unique_keyids
FROM tmebox.tenants;

-- a rolled-back create leaves nothing and its KeyID is handed out again
BEGIN;
SELECT tmebox.create_tenant('rolled_back');
ROLLBACK;
SELECT count(*) FROM tmebox.tenants WHERE name = 'rolled_back';
SELECT tmebox.create_tenant('after_rollback');

--
-- Altering
--
SELECT tmebox.alter_tenant('acme', '128MB');
SELECT tmebox.alter_tenant('acme', owner => 'regress_tenant_owner');
SELECT tmebox.alter_tenant('hooli', memory_limit => '2GB', owner => 'regress_tenant_owner');
SELECT name, owner, keyid, memory_limit FROM tmebox.tenants
WHERE name IN ('acme', 'hooli') ORDER BY name;

--
-- Errors: message, detail and hint once each, then the SQLSTATEs
--
SELECT tmebox.create_tenant('acme');
SELECT tmebox.create_tenant('Acme');
SELECT tmebox.create_tenant('wonka', memory_limit => '64 parsecs');
SELECT tmebox.create_tenant('wonka', memory_limit => '4GB');
SELECT tmebox.create_tenant('wonka', owner => 'regress_no_such_role');
SELECT tmebox.drop_tenant('wonka');
SELECT tmebox.alter_tenant('acme');

SELECT q AS statement, pg_temp.try(q) AS result FROM (VALUES
	-- duplicate name
	($$SELECT tmebox.create_tenant('acme')$$),
	($$SELECT tmebox.create_tenant('acme', memory_limit => '2MB')$$),
	-- invalid names
	($$SELECT tmebox.create_tenant('Acme')$$),
	($$SELECT tmebox.create_tenant('1acme')$$),
	($$SELECT tmebox.create_tenant('')$$),
	($$SELECT tmebox.create_tenant('a-b')$$),
	($$SELECT tmebox.create_tenant('a b')$$),
	($$SELECT tmebox.create_tenant('café')$$),
	($$SELECT tmebox.create_tenant(repeat('n', 64))$$),
	($$SELECT tmebox.create_tenant(NULL)$$),
	-- unknown owner (the regrole input refuses names, we refuse OIDs)
	($$SELECT tmebox.create_tenant('wonka', 'regress_no_such_role')$$),
	($$SELECT tmebox.create_tenant('wonka', '4000000000')$$),
	($$SELECT tmebox.create_tenant('wonka', '-')$$),
	-- malformed memory limits
	($$SELECT tmebox.create_tenant('wonka', memory_limit => 'abc')$$),
	($$SELECT tmebox.create_tenant('wonka', memory_limit => '')$$),
	($$SELECT tmebox.create_tenant('wonka', memory_limit => '64mb')$$),
	($$SELECT tmebox.create_tenant('wonka', memory_limit => '64XB')$$),
	($$SELECT tmebox.create_tenant('wonka', memory_limit => '64MB extra')$$),
	($$SELECT tmebox.create_tenant('wonka', memory_limit => 'NaN')$$),
	($$SELECT tmebox.create_tenant('wonka', memory_limit => NULL)$$),
	-- out-of-range memory limits
	($$SELECT tmebox.create_tenant('wonka', memory_limit => '0')$$),
	($$SELECT tmebox.create_tenant('wonka', memory_limit => '-64MB')$$),
	($$SELECT tmebox.create_tenant('wonka', memory_limit => '2097151')$$),
	($$SELECT tmebox.create_tenant('wonka', memory_limit => '2047kB')$$),
	-- below one sandbox (its 1 MiB data stack and its globals)
	($$SELECT tmebox.create_tenant('wonka', memory_limit => '1MB')$$),
	($$SELECT tmebox.create_tenant('wonka', memory_limit => '3221225473')$$),
	($$SELECT tmebox.create_tenant('wonka', memory_limit => '4GB')$$),
	($$SELECT tmebox.create_tenant('wonka', memory_limit => 'Infinity')$$),
	-- unknown tenant
	($$SELECT tmebox.drop_tenant('wonka')$$),
	($$SELECT tmebox.drop_tenant(NULL)$$),
	($$SELECT tmebox.alter_tenant('wonka', '64MB')$$),
	-- bad alterations
	($$SELECT tmebox.alter_tenant('acme')$$),
	($$SELECT tmebox.alter_tenant('acme', 'lots')$$),
	($$SELECT tmebox.alter_tenant('acme', '0.5MB')$$),
	($$SELECT tmebox.alter_tenant('acme', owner => '4000000000')$$),
	($$SELECT tmebox.alter_tenant(NULL, '64MB')$$)
) AS t(q);

-- none of that changed anything
SELECT name,
       CASE WHEN owner = current_user::regrole THEN '(me)' ELSE owner::text END AS owner,
       keyid, memory_limit
FROM tmebox.tenants ORDER BY keyid;

--
-- KeyIDs exhausted
--
SELECT tmebox.drop_tenant(name) FROM tmebox.tenants ORDER BY name;
SET tmebox.max_keyids = 3;
SELECT tmebox.create_tenant('k1');
SELECT tmebox.create_tenant('k2');
SELECT tmebox.create_tenant('k3');
SELECT tmebox.create_tenant('k4');
SELECT pg_temp.try($$SELECT tmebox.create_tenant('k4')$$);
SELECT name, keyid FROM tmebox.tenants ORDER BY keyid;
-- a drop makes room again
SELECT tmebox.drop_tenant('k2');
SELECT tmebox.create_tenant('k4');
-- lowering the maximum below KeyIDs in use keeps those tenants
SET tmebox.max_keyids = 1;
SELECT pg_temp.try($$SELECT tmebox.create_tenant('k5')$$);
SELECT name, keyid FROM tmebox.tenants ORDER BY keyid;
RESET tmebox.max_keyids;
SELECT tmebox.create_tenant('k5');

--
-- The caller's identity survives the switch to the catalog owner,
-- after success and after an error caught in a subtransaction
--
SELECT current_user = session_user AS same_user;
DO $$
BEGIN
	PERFORM tmebox.create_tenant('k1');
EXCEPTION WHEN duplicate_object THEN
	RAISE NOTICE 'caught: %, current_user is session_user: %',
		SQLERRM, current_user = session_user;
END
$$;
SELECT current_user = session_user AS same_user;
SHOW search_path;

-- clean up
SELECT tmebox.drop_tenant(name) FROM tmebox.tenants ORDER BY name;
SELECT count(*) AS tenants FROM tmebox.tenants;
DROP ROLE regress_tenant_owner;
