-- callbacks: the host callbacks that run PostgreSQL code (a NOTICE or
-- printf's INFO, the interrupt check after every host call and before
-- every entry, the result allocator) run on the backend's own stack, and
-- an ERROR raised in one of them ends the sandboxed call at once, with its
-- own SQLSTATE, the instance reset for the next call.  Signals reach
-- PostgreSQL's handlers on the alternate stack while the sandbox's stack
-- is full.  The server never restarts.
\pset null '(null)'
SELECT pg_postmaster_start_time() AS pm_start \gset

CREATE ROLE regress_cb;
GRANT USAGE ON LANGUAGE tmebox TO regress_cb;
GRANT USAGE ON SCHEMA tmebox TO regress_cb;
GRANT CREATE ON SCHEMA public TO regress_cb;
SELECT tmebox.create_tenant('cb', owner => 'regress_cb', memory_limit => '16MB') > 0 AS created;

SET ROLE regress_cb;
SELECT cardinality(tmebox.create_module('cb', 'cb', $$
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tmebox.h>

static int32_t n;
static volatile double sink;
static char big[4001];

int32_t bump(void) { return ++n; }

/* a message, then the counter: had the call gone on after an ERROR in
 * the message, n would have grown by 1000 */
int32_t message_then_bump(int32_t mode)
{
	if (mode == 1)
		tmebox_notice("euro \xe2\x82\xac");
	else
		printf("euro \xe2\x82\xac\n");
	n += 1000;
	return n;
}

/* at the bottom of the recursion: 0 nothing, 1 NOTICE, 2 printf to stderr
 * (NOTICE), 3 a 1000-byte NOTICE, 4 spin */
__attribute__((noinline)) static int32_t act(int32_t mode, int64_t iters)
{
	if (mode == 1)
		tmebox_notice("deep");
	else if (mode == 2)
		fprintf(stderr, "deep\n");
	else if (mode == 3)
	{
		memset(big, 'x', 1000);
		tmebox_notice("%s", big);
	}
	else if (mode == 4)
		for (int64_t i = 0; i < iters; i++)
			sink += 1.0;
	return mode;
}
static int32_t down(int32_t d, int32_t mode, int64_t iters)
{
	if (d <= 0)
		return act(mode, iters);
	return down(d - 1, mode, iters) * 3 + d;
}
int32_t deep(int32_t d, int32_t mode, int64_t iters) { return down(d, mode, iters); }

/* messages, iters times: 1 NOTICE, 2 printf to stderr, 3 a NOTICE and a
 * 1 MiB memset run by the host (nearly all the time in host code, where
 * the interrupt signal cannot stop the sandbox: only the check after the
 * host call can) */
int64_t chatter(int32_t mode, int64_t iters)
{
	char *area = malloc(1 << 20);
	int64_t i;

	for (i = 0; area != NULL && i < iters; i++)
		if (mode == 1)
			tmebox_notice("%lld", (long long) i);
		else if (mode == 2)
			fprintf(stderr, "%lld\n", (long long) i);
		else
		{
			tmebox_notice("%lld", (long long) i);
			memset(area, (int) i, 1 << 20);
			sink += area[i & 0xfffff];
		}
	return i;
}
$$)) AS exports;
CREATE FUNCTION bump() RETURNS int4 LANGUAGE tmebox AS 'cb.bump';
CREATE FUNCTION message_then_bump(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'cb.message_then_bump';
CREATE FUNCTION deep(int4, int4, int8) RETURNS int4 LANGUAGE tmebox STRICT AS 'cb.deep';
CREATE FUNCTION chatter(int4, int8) RETURNS int8 LANGUAGE tmebox STRICT AS 'cb.chatter';

-- the deepest recursion that fits on the native sandbox stack, with the
-- given mode at the bottom
CREATE FUNCTION deep_max(mode int) RETURNS int LANGUAGE plpgsql AS $f$
DECLARE lo int := 100; hi int := 10000000; mid int;
BEGIN
	WHILE hi - lo > 1 LOOP
		mid := (lo + hi) / 2;
		BEGIN
			PERFORM deep(mid, mode, 1);
			lo := mid;
		EXCEPTION WHEN external_routine_exception THEN
			hi := mid;
		END;
	END LOOP;
	RETURN lo;
END $f$;
-- one call at depth d: its SQLSTATE ('00000' when it returned)
CREATE FUNCTION deep_state(d int, mode int) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
	PERFORM deep(d, mode, 1);
	RETURN '00000';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $f$;
SELECT deep_max(0) AS m, deep_max(4) AS m4 \gset

-- (a) A message with 0 to 400 frames' worth of native stack left, the
-- deepest calls overflowing in the sandbox's own formatting code: each
-- returns, or fails as a stack overflow (38000).  The messages are written
-- to the server log (not to the client): PostgreSQL formats, palloc's and
-- writes each.  That used to run on the sandbox's stack and overflow it,
-- which aborted the backend and restarted the server.
RESET ROLE;
SET log_min_messages = notice;
SET ROLE regress_cb;
SET client_min_messages = warning;
SELECT string_agg(DISTINCT deep_state(:m - k, 1), ',') AS notice,
	   string_agg(DISTINCT deep_state(:m - k, 2), ',') AS stderr,
	   string_agg(DISTINCT deep_state(:m - k, 3), ',') AS long_notice
FROM generate_series(0, 400) k;
RESET client_min_messages;
RESET ROLE;
RESET log_min_messages;
SET ROLE regress_cb;
SELECT deep(10, 0, 1) AS alive, pg_postmaster_start_time() = :'pm_start' AS no_restart;

-- (b) statement_timeout in a loop of messages that would run for many
-- seconds: 57014 within about a second, whichever way the message goes
-- (the interrupt check runs after every host call, on the backend's
-- stack, and its ERROR ends the call; it used to be caught and kept, and
-- the sandbox ran on)
SET client_min_messages = warning;
SET statement_timeout = '300ms';
\set VERBOSITY sqlstate
SELECT clock_timestamp() AS t0 \gset
SELECT chatter(1, 20000000);
SELECT clock_timestamp() - :'t0' < interval '1.3 s' AS notice_loop_stopped_in_time;
SELECT clock_timestamp() AS t0 \gset
SELECT chatter(2, 20000000);
SELECT clock_timestamp() - :'t0' < interval '1.3 s' AS stderr_loop_stopped_in_time;
SELECT clock_timestamp() AS t0 \gset
SELECT chatter(3, 200000);
SELECT clock_timestamp() - :'t0' < interval '1.3 s' AS host_loop_stopped_in_time;
\set VERBOSITY default
RESET statement_timeout;
RESET client_min_messages;
SELECT deep(10, 0, 1) AS alive;

-- (d) An ERROR raised inside a callback (the NOTICE's text has no
-- equivalent in the client's encoding: PostgreSQL's conversion raises
-- 22P05 while sending it) surfaces in the same call with its SQLSTATE; the
-- call did not go on (no +1000), and the next call runs on a reset
-- instance (the counter starts again).
SELECT bump() AS one, bump() AS two;
SET client_encoding = 'LATIN1';
\set VERBOSITY sqlstate
SELECT message_then_bump(1);
SELECT message_then_bump(2);
\set VERBOSITY default
RESET client_encoding;
SELECT bump() AS reset_to_one;
-- the same in a DO block, and the next one works
SET client_encoding = 'LATIN1';
\set VERBOSITY sqlstate
DO $$ tmebox_notice("euro \xe2\x82\xac"); $$ LANGUAGE tmebox;
\set VERBOSITY default
RESET client_encoding;
DO $$ tmebox_notice("after the error"); $$ LANGUAGE tmebox;

-- (c) A configuration reload (what pg_reload_conf does: SIGHUP to the
-- postmaster, which re-reads the file and sends SIGHUP to every backend)
-- arriving while the sandbox spins with its native stack full:
-- PostgreSQL's handler runs on the alternate signal stack, the call
-- returns normally (the kernel could not deliver the signal on the full
-- stack and turned it into a SIGSEGV, reported as a sandbox fault, and the
-- reload was lost), and the new value is in effect at the next statement.
RESET ROLE;
ALTER SYSTEM SET cursor_tuple_fraction = 0.25;
SELECT split_part(pg_read_file('postmaster.pid'), E'\n', 1) AS pm_pid \gset
\setenv CB_PM_PID :pm_pid
\! (sleep 0.3; kill -HUP $CB_PM_PID) &
SELECT deep(:m4, 4, 1500000000) IS NOT NULL AS spun_through_sighup;
SHOW cursor_tuple_fraction;
ALTER SYSTEM RESET cursor_tuple_fraction;
SELECT pg_reload_conf() AS reload_requested, pg_sleep(0.2) IS NOT NULL AS waited;
SHOW cursor_tuple_fraction;
SELECT pg_postmaster_start_time() = :'pm_start' AS no_restart;

DROP FUNCTION bump, message_then_bump, deep, chatter, deep_max, deep_state;
SELECT tmebox.drop_module('cb', 'cb');
SELECT tmebox.drop_tenant('cb');
DROP OWNED BY regress_cb;
DROP ROLE regress_cb;
