-- discard: DISCARD ALL drops the session's sandboxes (issue 11), as a
-- connection pooler resetting a server connection between clients
-- expects: every instance and its memory goes, globals start afresh, the
-- session's per-tenant counters are cleared.  Other DISCARD forms keep
-- them.
CREATE ROLE regress_discard;
SELECT tmebox.create_tenant('discard', owner => 'regress_discard') > 0 AS created;
SELECT tmebox.create_module('discard', 'm', $$
#include <stdint.h>
static int64_t total;
int64_t add(int64_t x) { total += x; return total; }
$$) IS NOT NULL AS created;
SET check_function_bodies = off;
CREATE FUNCTION discard_count() RETURNS int8 LANGUAGE tmebox AS 'static int64_t n; return ++n;';
ALTER FUNCTION discard_count() OWNER TO regress_discard;
CREATE FUNCTION discard_add(int8) RETURNS int8 LANGUAGE tmebox STRICT AS 'm.add';
ALTER FUNCTION discard_add(int8) OWNER TO regress_discard;
RESET check_function_bodies;

-- globals survive statements
SELECT discard_count(), discard_count(), discard_count();
SELECT discard_count(), discard_add(40), discard_add(2);
DISCARD PLANS;
DISCARD TEMP;
SELECT discard_count(), discard_add(0);
SELECT count(*) AS sandboxes FROM tmebox.instances WHERE tenant = 'discard';
SELECT calls FROM tmebox.tenants WHERE name = 'discard';

-- DISCARD ALL: no sandbox left, counters cleared
DISCARD ALL;
SELECT count(*) AS sandboxes FROM tmebox.instances WHERE tenant = 'discard';
SELECT calls, resident_bytes FROM tmebox.tenants WHERE name = 'discard';
-- and the functions start afresh (a body and a module's export)
SELECT discard_count(), discard_add(1);
SELECT discard_count(), discard_add(1);
DISCARD ALL;
SELECT discard_add(5), discard_count();

DROP FUNCTION discard_count(), discard_add(int8);
SELECT tmebox.drop_module('discard', 'm');
SELECT tmebox.drop_tenant('discard');
DROP ROLE regress_discard;
