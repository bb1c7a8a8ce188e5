-- hostcalls: host calls that run PostgreSQL code (a NOTICE, printf to
-- stderr, the interrupt check after every host call and before every
-- entry, the result allocator) run on the backend's own stack, whatever
-- depth the tenant left on the sandbox's native stack; an ERROR raised in
-- one of them (cancel, statement_timeout, an encoding conversion) ends the
-- sandboxed call at once, with its own SQLSTATE, the instance reset for
-- the next call; signals reach PostgreSQL's handlers on the alternate
-- stack while the sandbox's stack is full; bytes from the view that become
-- text or a message are valid in the database encoding and NUL-free
-- (22021).  The server never restarts.
\pset null '(null)'
SELECT pg_postmaster_start_time() AS pm_start \gset

CREATE ROLE regress_hc;
GRANT USAGE ON LANGUAGE tmebox TO regress_hc;
GRANT USAGE ON SCHEMA tmebox TO regress_hc;
GRANT CREATE ON SCHEMA public TO regress_hc;
SELECT tmebox.create_tenant('hc', owner => 'regress_hc', memory_limit => '16MB') > 0 AS created;

SET ROLE regress_hc;
SELECT cardinality(tmebox.create_module('hc', 'deep', $$
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

/* at the bottom of the recursion, iters times: 0 nothing, 1 NOTICE,
 * 2 printf to stderr (NOTICE), 3 a 1000-byte NOTICE, 4 spin */
__attribute__((noinline)) static int32_t act(int32_t mode, int64_t iters)
{
	int32_t r = 0;

	for (int64_t i = 0; i < iters; i++)
	{
		if (mode == 1)
			tmebox_notice("n%d", (int) i);
		else if (mode == 2)
			fprintf(stderr, "e%d\n", (int) i);
		else if (mode == 3)
		{
			memset(big, 'x', 1000);
			tmebox_notice("%s", big);
		}
		else if (mode == 4)
			sink += 1.0;
		r++;
	}
	return r;
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
CREATE FUNCTION bump() RETURNS int4 LANGUAGE tmebox AS 'deep.bump';
CREATE FUNCTION message_then_bump(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'deep.message_then_bump';
CREATE FUNCTION deep(int4, int4, int8) RETURNS int4 LANGUAGE tmebox STRICT AS 'deep.deep';
CREATE FUNCTION chatter(int4, int8) RETURNS int8 LANGUAGE tmebox STRICT AS 'deep.chatter';

-- the deepest recursion that fits on the native sandbox stack (with one
-- round of the given mode at the bottom)
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

-- (a) A message with 0 to 300 frames' worth of native stack left (the
-- deepest ones overflow at the host call itself): each call returns, or
-- fails cleanly as a stack overflow (38000).  Used to abort the backend
-- (PostgreSQL's error recovery ran on the sandbox's stack and overflowed
-- it) and restart the server.
SET client_min_messages = warning;
SELECT string_agg(DISTINCT deep_state(:m - k, 1), ',') AS notice_states,
	   string_agg(DISTINCT deep_state(:m - k, 2), ',') AS stderr_states
FROM generate_series(0, 300) k;
RESET client_min_messages;
SELECT deep(10, 0, 5) AS still_alive;

-- (a') The same with the messages written to the server log, so that
-- PostgreSQL formats, palloc's and writes each (at the default log level
-- it drops them early), also a 1000-byte one, with 0 to 400 frames left.
RESET ROLE;
SET log_min_messages = notice;
SET ROLE regress_hc;
SET client_min_messages = warning;
SELECT string_agg(DISTINCT deep_state(:m - k, 1), ',') AS notice,
	   string_agg(DISTINCT deep_state(:m - k, 2), ',') AS stderr,
	   string_agg(DISTINCT deep_state(:m - k, 3), ',') AS long_notice
FROM generate_series(0, 400) k;
RESET client_min_messages;
RESET ROLE;
RESET log_min_messages;
SET ROLE regress_hc;
SELECT deep(10, 0, 1) AS alive, pg_postmaster_start_time() = :'pm_start' AS no_restart;

-- (b) statement_timeout during a loop of messages that would run for many
-- seconds: the ERROR raised in the interrupt check after the host call
-- ends the call (it used to be caught and kept, and the sandbox ran on),
-- at the top of the stack and near its end ...
SET client_min_messages = warning;
SET statement_timeout = '300ms';
SELECT deep(10, 1, 4000000000);
SELECT deep(:m - 300, 2, 4000000000);
-- ... and within about a second, whichever way the message goes
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
SELECT deep(10, 0, 5) AS still_alive;

-- (c) An ERROR raised inside a callback (the NOTICE's text has no
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

-- (d) SIGHUP arriving while the sandbox spins with its native stack full:
-- PostgreSQL's handler runs on the alternate signal stack, and the call is
-- not taken for a fault (the kernel could not deliver the signal on the
-- full stack and turned it into a SIGSEGV, reported as a sandbox fault).
-- First sent to this backend directly ...
SELECT pg_backend_pid() AS pid \gset
\setenv HC_PID :pid
\! (sleep 0.3; kill -HUP $HC_PID) &
SELECT deep(:m4, 4, 600000000) IS NOT NULL AS spun_through_sighup;
-- ... then as a configuration reload (SIGHUP to the postmaster, which
-- re-reads the file and signals every backend): the reload used to be
-- lost; the new value is in effect at the next statement.
RESET ROLE;
ALTER SYSTEM SET cursor_tuple_fraction = 0.25;
SELECT split_part(pg_read_file('postmaster.pid'), E'\n', 1) AS pm_pid \gset
\setenv HC_PM_PID :pm_pid
\! (sleep 0.3; kill -HUP $HC_PM_PID) &
SELECT deep(:m4, 4, 1500000000) IS NOT NULL AS spun_through_reload;
SHOW cursor_tuple_fraction;
ALTER SYSTEM RESET cursor_tuple_fraction;
SELECT pg_reload_conf() AS reload_requested, pg_sleep(0.2) IS NOT NULL AS waited;
SHOW cursor_tuple_fraction;
SELECT pg_postmaster_start_time() = :'pm_start' AS no_restart;
SET ROLE regress_hc;

-- (e) bytes that become text or a message
SELECT cardinality(tmebox.create_module('hc', 'bytes', $$
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tmebox.h>
static tmebox_buf *make(const char *s, uint32_t n)
{
	tmebox_buf *b = tmebox_buf_new(n);
	memcpy(b->data, s, n);
	return b;
}
tmebox_buf *bad_utf8(void) { return make("ok\xc3\x28", 4); }
tmebox_buf *with_nul(void) { return make("ok\0ok", 5); }
tmebox_buf *fine(void) { return make("caf\xc3\xa9", 5); }
void notice_bad(void) { tmebox_notice("bad \xff\xfe utf8"); }
void error_bad(void) { tmebox_error("bad \xc3\x28 utf8"); }
/* valid UTF-8 longer than one message: cut between characters, never
 * inside one (4095-byte pieces would split a 2-byte character) */
int32_t long_utf8(void)
{
	static char s[6001];
	for (int i = 0; i < 3000; i++) { s[2 * i] = '\xc3'; s[2 * i + 1] = '\xa9'; }
	fprintf(stderr, "%s\n", s);
	tmebox_notice("%s", s);
	return 1;
}
$$)) AS exports;
CREATE FUNCTION long_utf8() RETURNS int4 LANGUAGE tmebox AS 'bytes.long_utf8';
CREATE FUNCTION bad_utf8() RETURNS text LANGUAGE tmebox AS 'bytes.bad_utf8';
CREATE FUNCTION with_nul() RETURNS text LANGUAGE tmebox AS 'bytes.with_nul';
CREATE FUNCTION with_nul_bytea() RETURNS bytea LANGUAGE tmebox AS 'bytes.with_nul';
CREATE FUNCTION fine() RETURNS text LANGUAGE tmebox AS 'bytes.fine';
CREATE FUNCTION notice_bad() RETURNS void LANGUAGE tmebox AS 'bytes.notice_bad';
CREATE FUNCTION error_bad() RETURNS void LANGUAGE tmebox AS 'bytes.error_bad';
CREATE TABLE hc_store (t text);
\set VERBOSITY sqlstate
INSERT INTO hc_store SELECT bad_utf8();
INSERT INTO hc_store SELECT with_nul();
SELECT notice_bad();
SELECT error_bad();
\set VERBOSITY default
SELECT count(*) AS stored FROM hc_store;
SET client_min_messages = warning;
SELECT long_utf8() AS long_valid_messages_pass;
RESET client_min_messages;
SELECT fine() = 'café' AS valid_text_passes, with_nul_bytea() AS bytea_may_hold_nul;
SET client_encoding = 'LATIN1';
\set VERBOSITY sqlstate
SELECT notice_bad();
\set VERBOSITY default
RESET client_encoding;

RESET ROLE;
DROP TABLE hc_store;
DROP FUNCTION bump, message_then_bump, deep, chatter, deep_max, deep_state, bad_utf8, with_nul,
	with_nul_bytea, fine, notice_bad, error_bad, long_utf8;
SELECT tmebox.drop_module('hc', 'deep'), tmebox.drop_module('hc', 'bytes');
SELECT tmebox.drop_tenant('hc');
DROP OWNED BY regress_hc;
DROP ROLE regress_hc;
