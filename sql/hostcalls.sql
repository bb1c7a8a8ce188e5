-- hostcalls: host calls that run PostgreSQL code (NOTICE, printf, interrupt
-- processing) run on the backend's own stack, whatever depth the tenant
-- left on the sandbox's native stack; an ERROR they raise (cancel,
-- statement_timeout) ends the sandboxed call; signals reach PostgreSQL
-- while the sandbox's stack is full; bytes from the view that become text
-- or a message are valid in the database encoding and NUL-free (22021).
\pset null '(null)'

CREATE ROLE regress_hc;
GRANT USAGE ON LANGUAGE tmebox TO regress_hc;
GRANT USAGE ON SCHEMA tmebox TO regress_hc;
GRANT CREATE ON SCHEMA public TO regress_hc;
SELECT tmebox.create_tenant('hc', owner => 'regress_hc', memory_limit => '16MB') > 0 AS created;

SET ROLE regress_hc;
SELECT cardinality(tmebox.create_module('hc', 'deep', $$
#include <stdint.h>
#include <stdio.h>
#include <tmebox.h>

static volatile double sink;
/* one host call at the bottom: 0 none, 1 NOTICE, 2 stderr (NOTICE), 3 spin */
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
			sink += 1.0;
		r++;
	}
	return r;
}
static int32_t down(int32_t n, int32_t mode, int64_t iters)
{
	if (n <= 0)
		return act(mode, iters);
	return down(n - 1, mode, iters) * 3 + n;
}
int32_t deep(int32_t n, int32_t mode, int64_t iters) { return down(n, mode, iters); }
$$)) AS exports;
CREATE FUNCTION deep(int4, int4, int8) RETURNS int4 LANGUAGE tmebox STRICT AS 'deep.deep';

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
-- one call at depth n: its SQLSTATE ('00000' when it returned)
CREATE FUNCTION deep_state(n int, mode int) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
	PERFORM deep(n, mode, 1);
	RETURN '00000';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $f$;
SELECT deep_max(0) AS m, deep_max(3) AS m3 \gset

-- A NOTICE with 0 to 300 frames' worth of native stack left (the
-- deepest ones overflow at the host call itself).  Used to abort the
-- backend (PostgreSQL's error recovery ran on the sandbox's stack and
-- overflowed it): now each call returns or fails cleanly.
SET client_min_messages = warning;
SELECT string_agg(DISTINCT deep_state(:m - k, 1), ',') AS notice_states,
	   string_agg(DISTINCT deep_state(:m - k, 2), ',') AS stderr_states
FROM generate_series(0, 300) k;
RESET client_min_messages;
SELECT deep(10, 0, 5) AS still_alive;

-- statement_timeout during an endless loop of NOTICEs: the ERROR raised in
-- the NOTICE's interrupt check ends the call (it used to be swallowed and
-- the sandbox ran on)
SET client_min_messages = warning;
SET statement_timeout = '300ms';
SELECT deep(10, 1, 4000000000);
SELECT deep(:m - 300, 2, 4000000000);
RESET statement_timeout;
RESET client_min_messages;
SELECT deep(10, 0, 5) AS still_alive;

-- SIGHUP (what a configuration reload sends) arriving while the sandbox
-- spins with its native stack full: PostgreSQL's handler runs on the
-- alternate stack, the call is not taken for a fault (the kernel could not
-- deliver the signal there and turned it into a SIGSEGV)
SELECT pg_backend_pid() AS pid \gset
\setenv HC_PID :pid
\! (sleep 0.3; kill -HUP $HC_PID) &
SELECT deep(:m3, 3, 600000000) IS NOT NULL AS spun_through_sighup;

-- bytes that become text or a message
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
DROP FUNCTION deep, deep_max, deep_state, bad_utf8, with_nul, with_nul_bytea, fine, notice_bad, error_bad, long_utf8;
SELECT tmebox.drop_module('hc', 'deep'), tmebox.drop_module('hc', 'bytes');
SELECT tmebox.drop_tenant('hc');
DROP OWNED BY regress_hc;
DROP ROLE regress_hc;
