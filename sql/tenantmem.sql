-- tenantmem: each tenant's host memory context (issue 13 part 4).  The
-- host's copies of a call's arguments (a detoasted text here) are made in
-- the memory context "tmebox tenant <name>" (identifier "KeyID <k>"),
-- whose blocks are the tenant's keyed host memory charged to its budget:
-- pg_backend_memory_contexts shows it, the memory limit covers the copies
-- (53200 past it), and the context goes with the tenant's last sandbox
-- (DISCARD ALL, drop_tenant).
CREATE ROLE regress_tenantmem;
SELECT tmebox.create_tenant('tmem', owner => 'regress_tenantmem',
                            memory_limit => '2MB') > 0 AS created;
SELECT tmebox.create_module('tmem', 'm', $$
#include <stdint.h>
#include <tmebox.h>
int64_t count_x(const tmebox_buf *s)
{
	int64_t n = 0;
	for (uint32_t i = 0; i < s->len; i++)
		n += s->data[i] == 'x';
	return n;
}
$$) IS NOT NULL AS created;
SET check_function_bodies = off;
CREATE FUNCTION tmem_count(text) RETURNS int8 LANGUAGE tmebox STRICT AS 'm.count_x';
ALTER FUNCTION tmem_count(text) OWNER TO regress_tenantmem;
RESET check_function_bodies;
-- compressed in the table: the call detoasts a copy of each value
CREATE TABLE tmem_big (n int, t text);
INSERT INTO tmem_big SELECT n, repeat('x', n) FROM unnest(ARRAY[100000, 200000, 700000, 1100000]) AS n;
SELECT n, pg_column_size(t) < n / 10 AS compressed FROM tmem_big ORDER BY n;

CREATE VIEW tmem_cxt AS
  SELECT c.name, c.ident = 'KeyID ' || t.keyid AS ident_is_keyid, c.parent,
         c.total_bytes, c.total_nblocks, c.used_bytes + c.free_bytes = c.total_bytes AS adds_up
    FROM pg_backend_memory_contexts c JOIN tmebox.tenant t ON c.name = 'tmebox tenant ' || t.name
   WHERE t.name = 'tmem';

-- no context before the tenant's first call in this session
SELECT count(*) FROM tmem_cxt;
SELECT tmem_count(t) FROM tmem_big WHERE n = 100000;
-- after the call: the copy is gone, the context keeps one 64 kB block
SELECT * FROM tmem_cxt;
SELECT resident_bytes >= 65536 + 1048576 AS charged_with_views FROM tmebox.tenants WHERE name = 'tmem';
SELECT tmem_count(t) FROM tmem_big WHERE n = 200000;
SELECT * FROM tmem_cxt;

-- the copy counts against the limit: 700 kB in the sandbox fit in 2 MB
-- with its data stack, but not with the host's 700 kB copy as well
\set VERBOSITY sqlstate
SELECT tmem_count(t) FROM tmem_big WHERE n = 700000;
\set VERBOSITY default
SELECT tmem_count(t) FROM tmem_big WHERE n = 700000;
-- 1.1 MB: the host's copy alone passes the limit
\set VERBOSITY terse
SELECT tmem_count(t) FROM tmem_big WHERE n = 1100000;
\set VERBOSITY default
-- a value not toasted is not copied: the same 700 kB straight from SQL fit
SELECT tmem_count(repeat('x', 700000));
-- and the failed call's copy went
SELECT total_bytes FROM tmem_cxt;
SELECT tmem_count(t) FROM tmem_big WHERE n = 200000;

-- what SQL access holds during a call is the tenant's too (red team s10):
-- a handled statement's error, whose message is as long as the tenant
-- makes it (F1), and in a DO block the rows of results (F2, the block's
-- own budget of the tenant's size): past 2 MB, 53200.  The raw host call
-- keeps the sandbox from copying anything in, so only the host holds them.
-- (DISCARD ALL first: module m's sandbox would take half of the 2 MB.)
DISCARD ALL;
GRANT USAGE ON LANGUAGE tmebox TO regress_tenantmem;
SET ROLE regress_tenantmem;
CREATE FUNCTION tmem.tmem_try(n int4) RETURNS int4 LANGUAGE tmebox STRICT AS $$
extern int32_t __tmebox_host_sql_exec(const char *q, uint64_t qlen, const void *p,
									  uint64_t psize, int64_t limit, int32_t flags);
int32_t tmem_try(int32_t n)
{
	static const char q[] = "SELECT repeat('x', 250000)::int4";
	int32_t h = 0;
	for (int i = 0; i < n; i++)
		h = __tmebox_host_sql_exec(q, sizeof q - 1, 0, 0, 0, 1 /* try */);
	return h > 0;
}
$$;
SELECT tmem.tmem_try(1);
\set VERBOSITY sqlstate
SELECT tmem.tmem_try(12);
\set VERBOSITY default
SELECT tmem.tmem_try(2);
DO $$
extern int32_t __tmebox_host_sql_exec(const char *q, uint64_t qlen, const void *p,
									  uint64_t psize, int64_t limit, int32_t flags);
void do_block(void)
{
	static const char q[] = "SELECT repeat('x', 100000) FROM generate_series(1, 2)";
	for (int i = 0; i < 3; i++)
		(void) __tmebox_host_sql_exec(q, sizeof q - 1, 0, 0, 0, 0);
	tmebox_notice("3 results held");
}
$$ LANGUAGE tmebox;
\set VERBOSITY sqlstate
DO $$
extern int32_t __tmebox_host_sql_exec(const char *q, uint64_t qlen, const void *p,
									  uint64_t psize, int64_t limit, int32_t flags);
void do_block(void)
{
	static const char q[] = "SELECT repeat('x', 100000) FROM generate_series(1, 2)";
	for (int i = 0; i < 20; i++)
		(void) __tmebox_host_sql_exec(q, sizeof q - 1, 0, 0, 0, 0);
	tmebox_notice("20 results held");
}
$$ LANGUAGE tmebox;
\set VERBOSITY default
RESET ROLE;
DROP FUNCTION tmem.tmem_try(int4);
-- plans and cursors a call holds are the tenant's too (red team s10 redA
-- F5): a plan handle (plan sources, query trees, generic plan) and a
-- cursor (its portal) are measured after each statement and charged while
-- the handle lives.  A plan of a view of 100 branches is about 260 kB: a
-- few fit in what the sandbox leaves of 2 MB, 40 do not (100 such plans of
-- a larger view had held 1.68 GB with a 32 MB limit); freed at once, 200
-- do.  A cursor sorting that view holds about 1 MB (its portal): past the
-- limit.  The budget is whole again after the failed calls.
DISCARD ALL;
SET ROLE regress_tenantmem;
SELECT 'CREATE VIEW tmem.tmem_wide AS ' || string_agg('SELECT ' || i || ' AS x', ' UNION ALL ')
  FROM generate_series(1, 100) i \gexec
CREATE FUNCTION tmem.tmem_hold(cursors int4, n int4, freeing int4) RETURNS int4
LANGUAGE tmebox STRICT AS $$
extern int32_t __tmebox_host_sql_prepare(const char *q, uint64_t qlen, const void *p, uint64_t psize);
extern int32_t __tmebox_host_sql_open(int32_t plan, const void *p, uint64_t psize, int32_t flags);
extern void __tmebox_host_sql_free(int32_t h);
extern int32_t __tmebox_host_sql_exec(const char *q, uint64_t qlen, const void *p,
									  uint64_t psize, int64_t limit, int32_t flags);
int32_t tmem_hold(int32_t cursors, int32_t n, int32_t freeing)
{
	static const char qr[] = "SELECT repeat('x', 100000) FROM generate_series(1, 40)";
	if (cursors == 5) {
		/* a value of n bytes built for a row of 4 */
		static const char qv[] = "SELECT length(repeat('x', i)) FROM generate_series($1, $1) i";
		return (int32_t) tmebox_sql_int(qv, 1, (tmebox_sql_arg[]) {TMEBOX_SQL_INT4(n)}, 0);
	}
	if (cursors == 6) {
		/* the same value built by a cursor's fetch */
		static const char qv[] = "SELECT length(repeat('x', i)) FROM generate_series($1, $1) i";
		tmebox_sql_arg a[] = {TMEBOX_SQL_INT4(n)};
		tmebox_sql_plan *p = tmebox_sql_prepare(qv, 1, a);
		tmebox_sql_result *r = tmebox_sql_fetch(tmebox_sql_open(p, 1, a), 1);
		return (int32_t) tmebox_row_int(tmebox_sql_row(r, 0), 0);
	}
	if (cursors == 2)
		return __tmebox_host_sql_exec(qr, sizeof qr - 1, 0, 0, 0, 0) > 0;
	if (cursors == 4) {
		/* every row of a cursor in one fetch, n rows of 100 kB */
		extern int32_t __tmebox_host_sql_fetch(int32_t cursor, int64_t n, int32_t flags);
		int32_t c = __tmebox_host_sql_open(__tmebox_host_sql_prepare(qr, sizeof qr - 1, 0, 0), 0, 0, 0);
		int32_t r = __tmebox_host_sql_fetch(c, n, 0);
		return r > 0;
	}
	if (cursors == 3) {
		/* a one-shot statement (over 8 kB of text), n bytes a row */
		static char big[9100];
		static const char head[] = "SELECT repeat('x', $1) FROM generate_series(1, 40) /*";
		__builtin_memcpy(big, head, sizeof head - 1);
		__builtin_memset(big + sizeof head - 1, 'y', 9000);
		__builtin_memcpy(big + sizeof head - 1 + 9000, "*/", 3);
		return tmebox_sql(big, 1, (tmebox_sql_arg[]) {TMEBOX_SQL_INT4(n)})->nrows;
	}
	static const char q[] = "SELECT count(*) FROM tmem.tmem_wide";
	static const char qc[] = "SELECT x FROM tmem.tmem_wide ORDER BY x";
	int32_t p = cursors ? __tmebox_host_sql_prepare(qc, sizeof qc - 1, 0, 0) : 0, h = 0;
	for (int i = 0; i < n; i++) {
		h = cursors ? __tmebox_host_sql_open(p, 0, 0, 0)
			: __tmebox_host_sql_prepare(q, sizeof q - 1, 0, 0);
		if (freeing)
			__tmebox_host_sql_free(h);
	}
	return h > 0;
}
$$;
SELECT tmem.tmem_hold(0, 2, 0);
RESET ROLE;
SELECT resident_bytes AS tmem_resident FROM tmebox.tenants WHERE name = 'tmem' \gset
SET ROLE regress_tenantmem;
\set VERBOSITY terse
SELECT tmem.tmem_hold(0, 40, 0);
\set VERBOSITY default
SELECT tmem.tmem_hold(0, 200, 1);
\set VERBOSITY terse
SELECT tmem.tmem_hold(1, 2, 0);
\set VERBOSITY default
-- a statement's rows are bounded while SPI makes them (F4): 4 MB of rows
-- stop at what the tenant has left, before any copy (they had all been
-- made first, 1.5 GB for a 32 MB tenant, then copied until 53200)
DO $$
DECLARE d text;
BEGIN
	PERFORM tmem.tmem_hold(2, 1, 0);
EXCEPTION WHEN out_of_memory THEN
	GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
	RAISE NOTICE 'needed for %', substring(d from 'needed for (.*)$');
END $$;
RESET ROLE;
SELECT resident_bytes = :tmem_resident AS all_credited FROM tmebox.tenants WHERE name = 'tmem';
-- the same bound for a one-shot statement (a text over 8 kB, not cached),
-- whose parameter keeps its type
SET ROLE regress_tenantmem;
-- and for a cursor's fetch: 4 MB of rows fetched at once (they had all
-- been made first) stop in the tenant's memory, 3 rows fit
SELECT tmem.tmem_hold(4, 3, 0) AS fetched;
\set VERBOSITY sqlstate
SELECT tmem.tmem_hold(4, 40, 0) AS fetched;
\set VERBOSITY default
SELECT tmem.tmem_hold(3, 10, 0) AS rows_of_a_long_statement;
DO $$
DECLARE d text;
BEGIN
	PERFORM tmem.tmem_hold(3, 100000, 0);
EXCEPTION WHEN out_of_memory THEN
	GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
	RAISE NOTICE 'needed for %', substring(d from 'needed for (.*)$');
END $$;
-- a value the executor builds for a row is bounded before it is made
-- (pl_spimem.c): 50 kB fit, 3 MB (for a row of 4 bytes) are past what the
-- sandbox leaves of 2 MB: 53200 at their allocation (any value up to
-- 1 GB had been made, uncharged)
SELECT tmem.tmem_hold(5, 50000, 0) AS built;
\set VERBOSITY terse
SELECT tmem.tmem_hold(5, 3000000, 0) AS built;
\set VERBOSITY default
-- and by a cursor's fetch (the value had been made, then charged to the
-- cursor after the fetch)
SELECT tmem.tmem_hold(6, 50000, 0) AS fetched;
DO $$
DECLARE d text;
BEGIN
	PERFORM tmem.tmem_hold(6, 3000000, 0);
EXCEPTION WHEN out_of_memory THEN
	GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
	RAISE NOTICE 'needed for %', substring(d from 'needed for (.*)$');
END $$;
RESET ROLE;
DROP FUNCTION tmem.tmem_hold(int4, int4, int4);
DROP VIEW tmem.tmem_wide;
REVOKE USAGE ON LANGUAGE tmebox FROM regress_tenantmem;

-- DISCARD ALL: the context goes with the sandboxes
DISCARD ALL;
SELECT count(*) FROM tmem_cxt;
SELECT tmem_count(t) FROM tmem_big WHERE n = 100000;
SELECT count(*) FROM tmem_cxt;

-- drop_tenant: the context goes with the dropped tenant's sandboxes (here
-- when a new tenant of that name is first called in the session)
SELECT tmebox.drop_module('tmem', 'm', cascade => true);
SELECT tmebox.drop_tenant('tmem');
SELECT tmebox.create_tenant('tmem', owner => 'regress_tenantmem') > 0 AS created;
SELECT tmebox.create_module('tmem', 'm', $$
#include <stdint.h>
#include <tmebox.h>
int64_t count_x(const tmebox_buf *s) { return s->len; }
$$) IS NOT NULL AS created;
SET check_function_bodies = off;
CREATE FUNCTION tmem_count(text) RETURNS int8 LANGUAGE tmebox STRICT AS 'm.count_x';
ALTER FUNCTION tmem_count(text) OWNER TO regress_tenantmem;
RESET check_function_bodies;
SELECT tmem_count(t) FROM tmem_big WHERE n = 100000;
SELECT name, ident_is_keyid FROM tmem_cxt;
SELECT count(*) FROM pg_backend_memory_contexts WHERE name LIKE 'tmebox tenant %';
DISCARD ALL;
SELECT count(*) FROM pg_backend_memory_contexts WHERE name LIKE 'tmebox tenant %';
DROP FUNCTION tmem_count(text);
SELECT tmebox.drop_module('tmem', 'm');
SELECT tmebox.drop_tenant('tmem');
DROP VIEW tmem_cxt;
DROP TABLE tmem_big;
DROP ROLE regress_tenantmem;
