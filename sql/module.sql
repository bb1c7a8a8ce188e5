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

-- a tenant with modules cannot be dropped
SELECT tmebox.drop_tenant('modt');
SELECT tmebox.drop_module('modt', 'geo');
SELECT tmebox.drop_tenant('modt');
SELECT tmebox.drop_tenant('modu');
REVOKE USAGE ON SCHEMA tmebox FROM regress_mod_owner, regress_mod_other;
DROP ROLE regress_mod_owner, regress_mod_other;
