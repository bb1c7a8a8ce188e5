-- extension/scripts/demo.sql -- tmebox in one psql run
--
-- Run by "extension/scripts/tmebox-dev.sh demo" against its temporary
-- cluster (which also builds the LANGUAGE C twin in demo_native.c).  Two
-- tenants write C functions, use them in queries, attack each other and
-- the server, crash, and are timed against plain LANGUAGE C.  Leaves
-- nothing behind (the cluster-wide role tmebox_admin stays).
\set ON_ERROR_STOP 1
\pset null '(null)'
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS tmebox CASCADE;
DROP FUNCTION IF EXISTS native_haversine(float8, float8, float8, float8);
DROP ROLE IF EXISTS demo_acme;
DROP ROLE IF EXISTS demo_globex;
RESET client_min_messages;
CREATE EXTENSION tmebox;

\echo
\echo '== Which KeyID backend is in use, and why'
SELECT backend, reason FROM tmebox.backend();

\echo
\echo '== Two tenants, each owned by a role that is not a superuser'
CREATE ROLE demo_acme;
CREATE ROLE demo_globex;
GRANT USAGE ON LANGUAGE tmebox TO demo_acme, demo_globex;
GRANT CREATE ON SCHEMA public TO demo_acme, demo_globex;
SELECT tmebox.create_tenant('acme', owner => 'demo_acme', memory_limit => '64MB') AS acme_keyid;
SELECT tmebox.create_tenant('globex', owner => 'demo_globex', memory_limit => '32MB') AS globex_keyid;
SELECT name, owner, keyid, pg_size_pretty(memory_limit) AS memory_limit FROM tmebox.tenants ORDER BY keyid;

\echo
\echo '== acme writes a module of C functions and declares them in SQL'
SET ROLE demo_acme;
SELECT tmebox.create_module('acme', 'geo', $$
#include <math.h>

/* Great-circle distance in km between two (lat, lon) points in degrees. */
double haversine(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088;
	const double rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * r * asin(sqrt(a));
}

/* Reads any address it is given: an attack, see below. */
long peek(long address) { return *(volatile long *) address; }

int crash(void) { volatile int *p = 0; return *p; }
$$) AS exported;
CREATE FUNCTION haversine(float8, float8, float8, float8) RETURNS float8
	LANGUAGE tmebox IMMUTABLE STRICT AS 'geo.haversine';
CREATE FUNCTION peek(int8) RETURNS int8 LANGUAGE tmebox STRICT AS 'geo.peek';
CREATE FUNCTION crash() RETURNS int4 LANGUAGE tmebox AS 'geo.crash';
SELECT city, round(haversine(48.8566, 2.3522, lat, lon)::numeric, 1) AS km_from_paris
FROM (VALUES ('London', 51.5074, -0.1278), ('Berlin', 52.52, 13.405),
			 ('Tokyo', 35.6762, 139.6503)) AS c(city, lat, lon)
ORDER BY 2;
RESET ROLE;

\echo
\echo '== globex writes a function body in C directly in CREATE FUNCTION'
SET ROLE demo_globex;
CREATE FUNCTION slugify(t text) RETURNS text LANGUAGE tmebox IMMUTABLE STRICT AS $$
	tmebox_buf *out = tmebox_buf_new(t->len);
	uint32_t n = 0;
	bool dash = false;
	for (uint32_t i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char) t->data[i];
		if (isalnum(c)) { out->data[n++] = (char) tolower(c); dash = false; }
		else if (!dash && n > 0) { out->data[n++] = '-'; dash = true; }
	}
	if (n > 0 && out->data[n - 1] == '-') n--;
	out->len = n;
	return out;
$$;
CREATE FUNCTION vault() RETURNS int8 LANGUAGE tmebox AS $$
	static int64_t secret = 0x5EC2E7;	/* globex's data, in its own view */
	return secret;
$$;
SELECT slugify('  Hello, Sandboxed World! ') AS slug, to_hex(vault()) AS globex_secret;
RESET ROLE;

\echo
\echo '== Attacks fail cleanly: the server''s memory, globex''s data, a crash'
\set ON_ERROR_STOP 0
SET ROLE demo_acme;
-- an address in the server's memory: only a view offset inside acme's sandbox
SELECT peek(x'00007f3a1c2b3d48'::int8) AS server_memory;
-- the view offset where globex keeps its secret: acme's own view, where it is not
SELECT peek(x'00110000'::int8) = x'5EC2E7'::int8 AS read_globex_secret;
SELECT crash();
\set ON_ERROR_STOP 1
-- the same backend answers the next query, and globex's sandbox is intact
SELECT pg_backend_pid() = pg_backend_pid() AS backend_alive,
	   round(haversine(0, 0, 0, 1)::numeric, 3) AS one_degree_km;
RESET ROLE;
SET ROLE demo_globex;
SELECT to_hex(vault()) AS globex_secret_still;
RESET ROLE;

\echo
\echo '== What is resident in this session'
SELECT tenant, module, keyid, pg_size_pretty(committed_bytes) AS committed, calls, faults
FROM tmebox.instances ORDER BY tenant, module;
SELECT name, keyid, calls, faults FROM tmebox.tenants ORDER BY keyid;

\echo
\echo '== The same C function as plain LANGUAGE C and as tmebox, 300 000 calls each'
CREATE FUNCTION native_haversine(float8, float8, float8, float8) RETURNS float8
	LANGUAGE C IMMUTABLE STRICT AS '$libdir/tmebox_demo_native', 'native_haversine';
CREATE FUNCTION pg_temp.ns_per_call(q text, n int) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	best numeric := NULL;
	t numeric;
BEGIN
	FOR r IN 1..5 LOOP
		t0 := clock_timestamp();
		EXECUTE q;
		t := extract(epoch FROM clock_timestamp() - t0) * 1e9 / n;
		best := least(coalesce(best, t), t);
	END LOOP;
	RETURN round(best, 1);
END
$$;
SELECT system, ns_per_row, round(ns_per_row / first_value(ns_per_row) OVER (ORDER BY ord), 2) AS ratio
FROM (VALUES
	(1, 'LANGUAGE C', pg_temp.ns_per_call('SELECT sum(native_haversine(i, i, i + 1, i + 1)) FROM generate_series(1, 300000) i', 300000)),
	(2, 'LANGUAGE tmebox', pg_temp.ns_per_call('SELECT sum(haversine(i, i, i + 1, i + 1)) FROM generate_series(1, 300000) i', 300000)),
	(3, 'no function (floor)', pg_temp.ns_per_call('SELECT sum(i::float8) FROM generate_series(1, 300000) i', 300000))
) AS t(ord, system, ns_per_row)
ORDER BY ord;

\echo
\echo '== Clean up'
SET client_min_messages = warning;
DROP FUNCTION native_haversine(float8, float8, float8, float8);
DROP EXTENSION tmebox CASCADE;
REVOKE ALL ON SCHEMA public FROM demo_acme, demo_globex;
DROP ROLE demo_acme, demo_globex;
