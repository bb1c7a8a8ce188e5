-- sharing: instances whose module files are byte-identical (here: the same
-- function body in two tenants) share one loaded module in
-- the backend, and share nothing else: each has its own view (globals,
-- heap), its tenant's KeyID, and a fault resets only its own instance.
CREATE ROLE regress_share_a;
CREATE ROLE regress_share_b;
GRANT USAGE ON LANGUAGE tmebox TO regress_share_a, regress_share_b;
GRANT USAGE ON SCHEMA tmebox TO regress_share_a, regress_share_b;
GRANT CREATE ON SCHEMA public TO regress_share_a, regress_share_b;
SELECT tmebox.create_tenant('share_a', owner => 'regress_share_a') > 0 AS created;
SELECT tmebox.create_tenant('share_b', owner => 'regress_share_b') > 0 AS created;

-- the same body for both tenants: a counter in a static variable, and a
-- division that faults for x = 0
SET ROLE regress_share_a;
CREATE FUNCTION tick_a(x int4) RETURNS int4 LANGUAGE tmebox STRICT AS $$
	static int32_t n;
	n += 100 / x;
	return n;
$$;
RESET ROLE;
SET ROLE regress_share_b;
CREATE FUNCTION tick_b(x int4) RETURNS int4 LANGUAGE tmebox STRICT AS $$
	static int32_t n;
	n += 100 / x;
	return n;
$$;
RESET ROLE;

-- the two tenants' compiled bodies are byte-identical
SELECT count(DISTINCT source_hash) AS sources, count(DISTINCT object) AS objects
FROM tmebox.body_object WHERE tenant LIKE 'share_%';

-- state is per tenant
SELECT tick_a(100), tick_a(100), tick_a(50);
SELECT tick_b(100);
SELECT tick_a(100);

-- both instances are resident, each with its tenant's KeyID
SELECT i.tenant, i.keyid = t.keyid AS own_keyid, i.calls
FROM tmebox.instances i JOIN tmebox.tenants t ON t.name = i.tenant
WHERE i.tenant LIKE 'share_%' ORDER BY i.tenant COLLATE "C";
SELECT count(DISTINCT module) AS modules FROM tmebox.instances WHERE tenant LIKE 'share_%';

-- a fault in tenant a resets a's instance only
\set VERBOSITY terse
SELECT tick_a(0);
\set VERBOSITY default
SELECT tick_a(100) AS a_after_reset, tick_b(100) AS b_untouched;

-- dropping one tenant's function leaves the other working
DROP FUNCTION tick_a(int4);
SELECT tick_b(100);

-- compile once: the same body under the same name in another tenant (and
-- a module with the same source) is not compiled again: the shared compile
-- cache tmebox.compiled_object has it
CREATE SCHEMA regress_share_sa AUTHORIZATION regress_share_a;
CREATE SCHEMA regress_share_sb AUTHORIZATION regress_share_b;
SET ROLE regress_share_a;
CREATE FUNCTION regress_share_sa.twice(x int4) RETURNS int4 LANGUAGE tmebox STRICT
AS $$ return 2 * x; $$;
SELECT tmebox.create_module('share_a', 'm', 'int mul3(int x) { return 3 * x; }');
RESET ROLE;
SET ROLE regress_share_b;
SET client_min_messages = debug1;
CREATE FUNCTION regress_share_sb.twice(x int4) RETURNS int4 LANGUAGE tmebox STRICT
AS $$ return 2 * x; $$;
SELECT tmebox.create_module('share_b', 'm', 'int mul3(int x) { return 3 * x; }');
RESET client_min_messages;
CREATE FUNCTION regress_share_sb.mul3(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'm.mul3';
SELECT regress_share_sb.twice(21), regress_share_sb.mul3(14);
RESET ROLE;
SELECT regress_share_sa.twice(4);

DROP FUNCTION tick_b(int4);
DROP SCHEMA regress_share_sa, regress_share_sb CASCADE;
SELECT tmebox.drop_module('share_a', 'm'), tmebox.drop_module('share_b', 'm');
SELECT tmebox.drop_tenant('share_a'), tmebox.drop_tenant('share_b');
REVOKE ALL ON SCHEMA public FROM regress_share_a, regress_share_b;
REVOKE ALL ON SCHEMA tmebox FROM regress_share_a, regress_share_b;
REVOKE ALL ON LANGUAGE tmebox FROM regress_share_a, regress_share_b;
DROP ROLE regress_share_a, regress_share_b;
