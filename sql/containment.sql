-- containment: every fault of sandboxed code is a clean ERROR (SQLSTATE
-- class 38, 53200 for memory, 57014 for cancel/timeout), the backend
-- lives on, the faulting instance is reset, other tenants are untouched.
\pset null '(null)'

CREATE ROLE regress_evil;
CREATE ROLE regress_good;
GRANT USAGE ON LANGUAGE tmebox TO regress_evil, regress_good;
GRANT USAGE ON SCHEMA tmebox TO regress_evil, regress_good;
GRANT CREATE ON SCHEMA public TO regress_evil, regress_good;
SELECT tmebox.create_tenant('evil', owner => 'regress_evil', memory_limit => '16MB') > 0 AS created;
SELECT tmebox.create_tenant('good', owner => 'regress_good') > 0 AS created;

-- the good tenant keeps state in its sandbox: it must survive everything below
SET ROLE regress_good;
CREATE FUNCTION good_counter() RETURNS int8 LANGUAGE tmebox VOLATILE AS $$
	static int64_t n;
	return ++n;
$$;
SELECT good_counter(), good_counter();
RESET ROLE;

SET ROLE regress_evil;
SELECT cardinality(tmebox.create_module('evil', 'attacks', $$
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tmebox.h>

int64_t read_at(int64_t addr) { return *(volatile int64_t *) (uintptr_t) addr; }
void write_at(int64_t addr, int64_t v) { *(volatile int64_t *) (uintptr_t) addr = v; }
int32_t divide(int32_t a, int32_t b) { return a / b; }
static volatile int32_t stop = -1;
static int32_t down(int32_t n) { volatile int32_t local = n; if (n == stop) return 0; return down(n + 1) + local; }
int32_t recurse(void) { return down(0); }
int64_t spin(void) { volatile int64_t x = 0; for (;;) x++; return x; }
int64_t hog(int64_t mb) { int64_t t = 0; for (int64_t i = 0; i < mb; i++) { char *p = malloc(1 << 20); memset(p, 1, 1 << 20); t += p[7]; } return t; }
int32_t call_at(int64_t addr) { int32_t (*f)(void) = (int32_t (*)(void)) (uintptr_t) addr; return f(); }
int32_t fail(int32_t code) { tmebox_error("tenant says no (code %d)", code); }
tmebox_buf *forged(void) { return (tmebox_buf *) (uintptr_t) 0xfffff000u; }
static int64_t secret = 0x5ec12e7;
int64_t my_secret(void) { return secret; }
$$)) AS nexports;

CREATE FUNCTION read_at(int8) RETURNS int8 LANGUAGE tmebox STRICT AS 'attacks.read_at';
CREATE FUNCTION write_at(int8, int8) RETURNS void LANGUAGE tmebox STRICT AS 'attacks.write_at';
CREATE FUNCTION divide(int4, int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'attacks.divide';
CREATE FUNCTION recurse() RETURNS int4 LANGUAGE tmebox AS 'attacks.recurse';
CREATE FUNCTION spin() RETURNS int8 LANGUAGE tmebox AS 'attacks.spin';
CREATE FUNCTION hog(int8) RETURNS int8 LANGUAGE tmebox STRICT AS 'attacks.hog';
CREATE FUNCTION call_at(int8) RETURNS int4 LANGUAGE tmebox STRICT AS 'attacks.call_at';
CREATE FUNCTION fail(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'attacks.fail';
CREATE FUNCTION forged() RETURNS text LANGUAGE tmebox AS 'attacks.forged';
CREATE FUNCTION my_secret() RETURNS int8 LANGUAGE tmebox AS 'attacks.my_secret';

\set VERBOSITY default
-- reading PostgreSQL's memory through a forged pointer: the address of a
-- real server object (this session's shared-buffer pool is mapped around
-- 0x7f..., any host address will do) is only a view offset in the sandbox
SELECT read_at(x'00007f0012345678'::int8);
SELECT read_at(0);
-- writing past the view (the last 8 bytes straddle its 4 GiB end)
SELECT write_at(x'fffffffc'::int8, 1);
-- integer traps
SELECT divide(1, 0);
SELECT divide(-2147483648, -1);
-- deep recursion
SELECT recurse();
-- an infinite loop is stopped by statement_timeout
SET statement_timeout = '200ms';
SELECT spin();
RESET statement_timeout;
-- more memory than the tenant's limit
SELECT hog(64);
-- calling a host function by address
SELECT call_at(x'00007f0000401000'::int8);
-- an error the function raises itself
SELECT fail(7);
-- a forged result buffer is refused by the host
SELECT forged();
\set VERBOSITY terse

-- the backend is alive, the faulting instance was reset and works again
SELECT divide(84, 2), my_secret() = x'5ec12e7'::int8 AS secret_intact;
RESET ROLE;

-- the other tenant never noticed
SET ROLE regress_good;
SELECT good_counter();
RESET ROLE;

SELECT name, calls > 0 AS called, faults >= 10 AS faulted FROM tmebox.tenants
WHERE name IN ('evil', 'good') ORDER BY name;

-- the SQLSTATE of each kind of failure
CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;
-- (cancel and statement_timeout, 57014, cannot be trapped in plpgsql: the
-- spin() test above shows them)
SET ROLE regress_evil;
SELECT q AS statement, pg_temp.sqlstate_of(q) AS sqlstate FROM (VALUES
	('SELECT read_at(0)'),
	('SELECT divide(1, 0)'),
	('SELECT recurse()'),
	('SELECT call_at(12345)'),
	('SELECT forged()'),
	('SELECT hog(64)'),
	('SELECT fail(1)')
) AS t(q);
RESET ROLE;

-- every sandbox's memory counts against its tenant's limit, its 1 MB data
-- stack included: a 3 MB tenant fits two sandboxes, not forty (each
-- function body gets its own sandbox)
CREATE ROLE regress_tiny;
GRANT USAGE ON LANGUAGE tmebox TO regress_tiny;
GRANT USAGE ON SCHEMA tmebox TO regress_tiny;
GRANT CREATE ON SCHEMA public TO regress_tiny;
SELECT tmebox.create_tenant('tiny', owner => 'regress_tiny', memory_limit => '3MB') > 0 AS created;
SET ROLE regress_tiny;
SET check_function_bodies = off;	-- compiled and made resident at the first call
DO $$
BEGIN
	FOR i IN 1..40 LOOP
		EXECUTE format('CREATE FUNCTION tiny_%s() RETURNS int4 LANGUAGE tmebox AS %L',
					   i, format('return %s;', i));
	END LOOP;
END $$;
CREATE FUNCTION tiny_calls() RETURNS text LANGUAGE plpgsql AS $$
DECLARE n int := 0;
BEGIN
	FOR i IN 1..40 LOOP
		EXECUTE format('SELECT tiny_%s()', i);
		n := n + 1;
	END LOOP;
	RETURN 'all 40 ran';
EXCEPTION WHEN OTHERS THEN
	RETURN format('%s ran, then %s', n, SQLSTATE);
END $$;
RESET check_function_bodies;
SELECT tiny_calls();
SELECT resident_bytes <= memory_limit AS within_limit FROM tmebox.tenants WHERE name = 'tiny';
DO $$
BEGIN
	FOR i IN 1..40 LOOP
		EXECUTE format('DROP FUNCTION tiny_%s()', i);
	END LOOP;
END $$;
DROP FUNCTION tiny_calls();
RESET ROLE;
SELECT tmebox.drop_tenant('tiny');
REVOKE ALL ON SCHEMA public FROM regress_tiny;
REVOKE ALL ON SCHEMA tmebox FROM regress_tiny;
REVOKE ALL ON LANGUAGE tmebox FROM regress_tiny;
DROP ROLE regress_tiny;

-- clean up
DROP FUNCTION read_at(int8), write_at(int8, int8), divide(int4, int4), recurse(),
	spin(), hog(int8), call_at(int8), fail(int4), forged(), my_secret(), good_counter();
SELECT tmebox.drop_module('evil', 'attacks');
SELECT tmebox.drop_tenant('evil'), tmebox.drop_tenant('good');
REVOKE ALL ON SCHEMA public FROM regress_evil, regress_good;
REVOKE ALL ON SCHEMA tmebox FROM regress_evil, regress_good;
REVOKE ALL ON LANGUAGE tmebox FROM regress_evil, regress_good;
DROP ROLE regress_evil, regress_good;
