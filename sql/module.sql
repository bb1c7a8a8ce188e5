-- module: tmebox.create_module / replace_module / drop_module and the
-- tmebox.modules view; who may manage modules; compile errors; nothing is
-- left behind by a failed call.
\pset null '(null)'

CREATE ROLE regress_mod_owner;
CREATE ROLE regress_mod_other;
SELECT tmebox.create_tenant('modt', owner => 'regress_mod_owner') > 0 AS created;
SELECT tmebox.create_tenant('modu', owner => 'regress_mod_other') > 0 AS created;

-- a module with several functions; only supported signatures are exported
SELECT tmebox.create_module('modt', 'geo', $$
#include <math.h>
#include <stdint.h>
#include <tmebox.h>

static double sq(double x) { return x * x; }

double dist(double x1, double y1, double x2, double y2)
{
	return sqrt(sq(x2 - x1) + sq(y2 - y1));
}

int32_t clamp(int32_t v, int32_t lo, int32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void helper(char *s) { s[0] = 0; }
$$) AS exports;

SELECT tenant, name, exports, compiled_size > 1000 AS has_object
FROM tmebox.modules ORDER BY tenant, name;

-- errors, each leaving the catalog as it was
\set VERBOSITY default
SELECT tmebox.create_module('modt', 'geo', 'int f(void) { return 1; }');
SELECT tmebox.create_module('nosuch', 'geo', 'int f(void) { return 1; }');
SELECT tmebox.create_module('modt', 'Bad-Name', 'int f(void) { return 1; }');
SELECT tmebox.create_module('modt', 'broken', $$
int ok(void) { return 1; }
int bad(void) { return undefined_thing; }
$$);
SELECT tmebox.create_module('modt', 'escape', $$
int f(void) { __asm__ volatile("syscall"); return 0; }
$$);
SELECT tmebox.create_module('modt', 'leak', $$
#include "/etc/passwd"
$$);
SELECT tmebox.replace_module('modt', 'nosuch', 'int f(void) { return 1; }');
SELECT tmebox.drop_module('modt', 'nosuch');
SELECT tenant, name FROM tmebox.modules ORDER BY tenant, name;

-- replace keeps the name, changes the exports
SELECT tmebox.replace_module('modt', 'geo', $$
#include <stdint.h>
int64_t twice(int64_t x) { return 2 * x; }
$$) AS exports;
SELECT tenant, name, exports FROM tmebox.modules ORDER BY tenant, name;

-- the tenant's owner manages its modules; another tenant's owner does not
GRANT USAGE ON SCHEMA tmebox TO regress_mod_owner, regress_mod_other;
SET ROLE regress_mod_owner;
SELECT tmebox.create_module('modt', 'mine', 'int one(void) { return 1; }') AS exports;
SELECT tmebox.drop_module('modt', 'mine');
RESET ROLE;
SET ROLE regress_mod_other;
SELECT tmebox.create_module('modt', 'theirs', 'int one(void) { return 1; }');
SELECT tmebox.drop_module('modt', 'geo');
-- and cannot read the source or object
SELECT count(*) FROM tmebox.module;
RESET ROLE;

-- tmebox.module_exports reads whatever bytes it is given (any role may
-- call it, and tmebox.modules does): a forged module file is refused
-- quickly, messages quote its bytes escaped, and no C declaration invalid
-- in the database encoding becomes text (22021)
CREATE FUNCTION pg_temp.le4(i int) RETURNS bytea LANGUAGE sql IMMUTABLE AS
$$ SELECT set_byte(set_byte(set_byte(set_byte('\x00000000'::bytea, 0, i & 255),
	1, (i >> 8) & 255), 2, (i >> 16) & 255), 3, (i >> 24) & 255) $$;
CREATE FUNCTION pg_temp.forged(meta bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS
$$ SELECT 'TMEBOXM'::bytea || '\x00'::bytea || pg_temp.le4(1) ||
	pg_temp.le4(length(meta)) || '\x0000000000000000'::bytea || meta $$;
CREATE FUNCTION pg_temp.exports(object bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	detail text;
BEGIN
	RETURN 'exports ' || cardinality(tmebox.module_exports(object));
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ' ' || SQLERRM || ': ' || detail;
END $$;
SELECT tmebox.module_exports(pg_temp.forged(convert_to(
	E'tmebox-module 1\nview-bits 32\nexport f i32\ncsig f int f(void)', 'UTF8')));
SELECT pg_temp.exports(pg_temp.forged(convert_to(
	E'tmebox-module 1\nview-bits 32\nexport f i32\ncsig f ', 'UTF8') || '\xc0afff80fe'::bytea));
SELECT pg_temp.exports(pg_temp.forged(convert_to(
	E'tmebox-module 1\nview-bits 32\nexport f i32\ncsig f int f(char \u00e9)', 'UTF8')));
SELECT pg_temp.exports(pg_temp.forged(convert_to(E'tmebox-module 1\n', 'UTF8') ||
	'\xffc022'::bytea));
SELECT pg_temp.exports(pg_temp.forged(convert_to(
	E'tmebox-module 1\nview-bits 32\nexport f \u00e9', 'UTF8')));
-- the most functions a module may describe, and one more; names of 200
-- bytes with 32 arguments each: linear, so well within the timeout (the
-- parse was quadratic and could not be cancelled)
CREATE TEMP TABLE forged_big AS
SELECT n, pg_temp.forged(convert_to('tmebox-module 1' || E'\nview-bits 32' ||
	(SELECT string_agg(E'\nexport ' || name || ' i32' || repeat(' i32', 32) ||
					   E'\ncsig ' || name || ' int ' || name || '(void)', '')
	 FROM (SELECT repeat('f', 190) || lpad(i::text, 10, '0') AS name
		   FROM generate_series(1, n) i) names), 'UTF8')) AS object
FROM (VALUES (10000), (10001)) v(n);
SET statement_timeout = '2s';
SELECT n, pg_temp.exports(object) FROM forged_big ORDER BY n;
RESET statement_timeout;
DROP TABLE forged_big;
-- tmebox-cc refuses a source with more functions than that
SELECT tmebox.create_module('modt', 'huge',
	(SELECT string_agg(format('int f%s(void) { return %s; }', i, i), E'\n')
	 FROM generate_series(0, 10000) i));

-- a tenant with modules cannot be dropped
SELECT tmebox.drop_tenant('modt');
SELECT tmebox.drop_module('modt', 'geo');
SELECT tmebox.drop_tenant('modt');
SELECT tmebox.drop_tenant('modu');
REVOKE USAGE ON SCHEMA tmebox FROM regress_mod_owner, regress_mod_other;
DROP ROLE regress_mod_owner, regress_mod_other;
