-- spi: SQL access from tenant C code (tmebox.h tmebox_sql_*).  Statements
-- run as the calling user with its privileges, read-only in STABLE and
-- IMMUTABLE functions; rows arrive as dynamic rows (tmebox_row) in the
-- sandbox's memory; SQL errors raise with their own SQLSTATE, or with the
-- _try variants become a result the C code inspects (rolled back in a
-- subtransaction); cancel and statement_timeout always end the call.
-- Nested tmebox calls from a statement are refused (0A000).  Everything
-- the sandbox hands the host (handles, parameter rows, ranges) is checked.
\pset null '(null)'

CREATE ROLE regress_spi;
CREATE ROLE regress_spi_other;
GRANT USAGE ON LANGUAGE tmebox TO regress_spi;
GRANT USAGE ON SCHEMA tmebox TO regress_spi;
GRANT CREATE, USAGE ON SCHEMA public TO regress_spi;
GRANT regress_spi TO regress_spi_other;
SELECT tmebox.create_tenant('spi', owner => 'regress_spi',
                            memory_limit => '64MB') > 0 AS created;

CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

CREATE TABLE secret (x int);
INSERT INTO secret VALUES (1);

SET ROLE regress_spi;
CREATE TABLE items (id int4 PRIMARY KEY, name text, price float8, ok bool,
                    n numeric, tags int4[], big int8, b bytea);
INSERT INTO items VALUES
	(1, 'apple', 1.5, true, 10.25, '{1,2}', 9000000000, '\x0001ff'),
	(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(3, 'cherry', 3.25, false, -1, '{}', -1, '');
ALTER TABLE items DROP COLUMN big;

-- a scalar round trip: SELECT $1 + 1
CREATE FUNCTION plus_one(x int4) RETURNS int8 LANGUAGE tmebox STRICT AS $$
	return tmebox_sql_int("SELECT $1 + 1", 1, (tmebox_sql_arg[]) {TMEBOX_SQL_INT4(x)}, NULL);
$$;
SELECT plus_one(41), plus_one(-1);
SELECT sum(plus_one(i)) FROM generate_series(1, 1000) i;

-- rows of every kind: native values, the text form (numeric), NULLs, a
-- dropped column, names and SQL types
CREATE FUNCTION show_items() RETURNS text LANGUAGE tmebox AS $$
	static char out[2048];
	size_t pos = 0;
	tmebox_sql_result *r = tmebox_sql("SELECT * FROM items ORDER BY id", 0, NULL);
	for (uint32_t i = 0; i < r->nrows; i++) {
		tmebox_row *row = tmebox_sql_row(r, i);
		if (i == 0) {
			pos += snprintf(out + pos, sizeof out - pos, "%d cols:", tmebox_row_ncols(row));
			for (int c = 0; c < tmebox_row_ncols(row); c++)
				pos += snprintf(out + pos, sizeof out - pos, " %s/%d%s", tmebox_row_name(row, c),
								tmebox_row_type(row, c), tmebox_row_is_text(row, c) ? "t" : "");
			pos += snprintf(out + pos, sizeof out - pos, "\n");
		}
		int id = (int) tmebox_row_int(row, tmebox_row_find(row, "id"));
		int nm = tmebox_row_find(row, "name");
		int tg = tmebox_row_find(row, "tags");
		int bb = tmebox_row_find(row, "b");
		const tmebox_array_i32 *tags = tmebox_row_value(row, tg);
		const tmebox_buf *b = tmebox_row_buf(row, bb);
		pos += snprintf(out + pos, sizeof out - pos,
						"%d name=%s price=%g ok=%d n=%s tags=%d b=%d\n", id,
						tmebox_row_isnull(row, nm) ? "NULL" : tmebox_row_text(row, nm),
						tmebox_row_float(row, 2), (int) tmebox_row_int(row, 3),
						tmebox_row_isnull(row, 4) ? "NULL" : tmebox_row_text(row, 4),
						tags ? (int) tags->n : -1, b ? (int) b->len : -1);
		free(row);
	}
	tmebox_sql_row(r, r->nrows) == NULL ? (void) 0 : tmebox_error("row past the end");
	tmebox_row *first = tmebox_row_get(r->handle);
	tmebox_row_int(first, 0) == 1 ? (void) 0 : tmebox_error("tmebox_row_get");
	free(first);
	tmebox_sql_free(r);
	return tmebox_buf_from_cstr(out);
$$;
SELECT show_items();

-- parameters of every kind, NULL parameters and NULL results, an empty result
CREATE FUNCTION params() RETURNS text LANGUAGE tmebox AS $$
	static char out[1024];
	tmebox_array_i64 *a = tmebox_array_i64_new(3);
	a->v[0] = 1; a->v[1] = 2; a->v[2] = 40;
	tmebox_buf *bin = tmebox_buf_from("\0\1", 2);
	tmebox_sql_result *r = tmebox_sql(
		"SELECT $1::text, $2 + 1, $3 * 2, $4, $5 IS NULL, $6 IS NULL, "
		"array_length($7, 1), $8, length($9), $10::text, pg_typeof($11)::text, $12::int2 + 1", 12,
		(tmebox_sql_arg[]) {
			TMEBOX_SQL_TEXT("hé"), TMEBOX_SQL_INT8(INT64_C(9000000000)), TMEBOX_SQL_FLOAT8(1.25),
			TMEBOX_SQL_BOOL(1), TMEBOX_SQL_NULL, TMEBOX_SQL_NULL_OF(TMEBOX_TYPE_I32),
			TMEBOX_SQL_ARRAY(TMEBOX_TYPE_AI64, a), TMEBOX_SQL_FLOAT4(0.5f), TMEBOX_SQL_BYTEA(bin),
			TMEBOX_SQL_AS(1700, "12.50"), TMEBOX_SQL_AS(1082, "2024-02-29"), TMEBOX_SQL_INT2(7)});
	tmebox_row *row = tmebox_sql_row(r, 0);
	snprintf(out, sizeof out, "%s %lld %g %d %d %d %lld %g %lld %s %s %lld",
			 tmebox_row_text(row, 0), (long long) tmebox_row_int(row, 1), tmebox_row_float(row, 2),
			 (int) tmebox_row_int(row, 3), (int) tmebox_row_int(row, 4), (int) tmebox_row_int(row, 5),
			 (long long) tmebox_row_int(row, 6), tmebox_row_float(row, 7),
			 (long long) tmebox_row_int(row, 8), tmebox_row_text(row, 9), tmebox_row_text(row, 10),
			 (long long) tmebox_row_int(row, 11));
	return tmebox_buf_from_cstr(out);
$$;
SELECT params();

CREATE FUNCTION nulls_and_empty() RETURNS text LANGUAGE tmebox AS $$
	static char out[256];
	int isnull;
	int64_t v = tmebox_sql_int("SELECT NULL::int4", 0, NULL, &isnull);
	int isnull2;
	int64_t w = tmebox_sql_int("SELECT 1 WHERE false", 0, NULL, &isnull2);
	tmebox_sql_result *r = tmebox_sql("SELECT * FROM items WHERE id < 0", 0, NULL);
	tmebox_sql_result *u = tmebox_sql("UPDATE items SET ok = ok WHERE id > 1", 0, NULL);
	snprintf(out, sizeof out, "null=%d,%lld empty=%d,%lld rows=%u,%lld updated=%u,%lld ok=%d state=%s",
			 isnull, (long long) v, isnull2, (long long) w, r->nrows, (long long) r->processed,
			 u->nrows, (long long) u->processed, u->ok, u->sqlstate);
	return tmebox_buf_from_cstr(out);
$$;
SELECT nulls_and_empty();

-- wrong parameter count and type: the statement's own errors
CREATE FUNCTION run(q text, arg int4) RETURNS text LANGUAGE tmebox AS $$
	static char out[512];
	tmebox_sql_result *r = tmebox_sql_try(q->data, arg_isnull ? 0 : 1,
										  (tmebox_sql_arg[]) {TMEBOX_SQL_INT4(arg)});
	if (!r->ok)
		snprintf(out, sizeof out, "handled %s: %s", r->sqlstate, r->message);
	else
		snprintf(out, sizeof out, "ok %lld", (long long) r->processed);
	return tmebox_buf_from_cstr(out);
$$;
SELECT run('SELECT $1 + $2', 1);
SELECT run('SELECT upper($1)', 1);
SELECT run('SELECT 1/0', NULL);
SELECT run('SELEC 1', NULL);
SELECT run('SELECT * FROM no_such_table', NULL);
SELECT run('SELECT $1', NULL);
-- what SPI refuses, with PL/pgSQL's SQLSTATEs (0A000, not XX000), handled
-- and unhandled: transaction control and COPY to or from the client; a
-- procedure that commits is PostgreSQL's own 2D000; COPY to a file needs
-- pg_write_server_files (42501)
CREATE PROCEDURE commits() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;
SELECT run(q, NULL) FROM unnest(ARRAY['COMMIT', 'ROLLBACK', 'BEGIN',
	'SAVEPOINT s', 'RELEASE SAVEPOINT s', 'ROLLBACK TO SAVEPOINT s',
	'START TRANSACTION', 'PREPARE TRANSACTION ''x''', 'COPY items TO STDOUT',
	'COPY items FROM STDIN', 'COPY (SELECT 1) TO STDOUT',
	'COPY items TO ''/tmp/tmebox_spi_copy''', 'CALL commits()']) q;

-- a handled error is rolled back, the function goes on and its later
-- statements count; an unhandled one keeps its SQLSTATE
CREATE TABLE log (msg text);
CREATE FUNCTION handled() RETURNS text LANGUAGE tmebox AS $$
	tmebox_sql("INSERT INTO log VALUES ('before')", 0, NULL);
	tmebox_sql_result *r = tmebox_sql_try("INSERT INTO log VALUES ('doomed'), (1/0)", 0, NULL);
	tmebox_sql("INSERT INTO log VALUES ('after')", 0, NULL);
	return tmebox_buf_from_cstr(r->ok ? "ok" : r->sqlstate);
$$;
SELECT handled();
SELECT * FROM log ORDER BY msg;
CREATE FUNCTION unhandled(q text) RETURNS int4 LANGUAGE tmebox AS $$
	tmebox_sql("INSERT INTO log VALUES ('unhandled')", 0, NULL);
	tmebox_sql(q->data, 0, NULL);
	return 1;
$$;
SELECT unhandled('SELECT 1/0');
SELECT pg_temp.sqlstate_of($$SELECT unhandled('INSERT INTO items VALUES (1)')$$);
SELECT pg_temp.sqlstate_of($$SELECT unhandled('SELECT no_such_column FROM items')$$);
SELECT unhandled('SAVEPOINT s');
SELECT unhandled('COPY items TO STDOUT');
SELECT unhandled('CALL commits()');
SELECT pg_temp.sqlstate_of($$SELECT unhandled('ROLLBACK')$$);
-- a tmebox procedure is refused too (as PL/pgSQL's EXECUTE 'COMMIT')
CREATE PROCEDURE tx_proc() LANGUAGE tmebox AS $$
	tmebox_sql("COMMIT", 0, NULL);
$$;
CALL tx_proc();
-- a prepared statement (exec and cursor) is refused the same way
CREATE FUNCTION prepared_run(q text, again bool) RETURNS text LANGUAGE tmebox AS $$
	static char out[512];
	tmebox_sql_plan *p = tmebox_sql_prepare(q->data, 0, NULL);
	tmebox_sql_result *r = tmebox_sql_exec_try(p, 0, NULL);
	snprintf(out, sizeof out, "%s: %s", r->ok ? "ok" : r->sqlstate, r->ok ? "" : r->message);
	if (again)
		tmebox_sql_exec(p, 0, NULL);
	return tmebox_buf_from_cstr(out);
$$;
SELECT prepared_run('COMMIT', false), prepared_run('COPY items TO STDOUT', false);
SELECT prepared_run('SAVEPOINT x', true);
CREATE FUNCTION cursor_run(q text) RETURNS int4 LANGUAGE tmebox AS $$
	tmebox_sql_open(tmebox_sql_prepare(q->data, 0, NULL), 0, NULL);
	return 1;
$$;
SELECT cursor_run('COMMIT');
SELECT pg_temp.sqlstate_of($$SELECT cursor_run('COPY items TO STDOUT')$$);
SELECT count(*) AS unhandled_rows FROM log WHERE msg = 'unhandled';
-- raising a handled error after all: its own SQLSTATE
CREATE FUNCTION reraise() RETURNS int4 LANGUAGE tmebox AS $$
	tmebox_sql_result *r = tmebox_sql_try("SELECT 1/0", 0, NULL);
	tmebox_sql_raise(r);
$$;
SELECT pg_temp.sqlstate_of('SELECT reraise()');
-- caught by PL/pgSQL around the call; the function works again after
DO $$
BEGIN
	PERFORM unhandled('SELECT 1/0');
EXCEPTION WHEN division_by_zero THEN
	RAISE NOTICE 'caught %', SQLSTATE;
END
$$;
SELECT plus_one(1);

-- writes: allowed in a VOLATILE function, refused with PostgreSQL's own
-- error in STABLE and IMMUTABLE ones (reads still work there)
CREATE FUNCTION writer(q text) RETURNS int8 LANGUAGE tmebox VOLATILE AS $$
	return tmebox_sql(q->data, 0, NULL)->processed;
$$;
CREATE FUNCTION stable_writer(q text) RETURNS int8 LANGUAGE tmebox STABLE AS $$
	return tmebox_sql(q->data, 0, NULL)->processed;
$$;
CREATE FUNCTION immutable_writer(q text) RETURNS text LANGUAGE tmebox IMMUTABLE AS $$
	tmebox_sql_result *r = tmebox_sql_try(q->data, 0, NULL);
	return tmebox_buf_from_cstr(r->ok ? "ok" : r->sqlstate);
$$;
SELECT writer('INSERT INTO log VALUES (''w'')');
SELECT stable_writer('INSERT INTO log VALUES (''s'')');
SELECT stable_writer('SELECT * FROM items');
SELECT immutable_writer('DELETE FROM log');
SELECT immutable_writer('SELECT 1');
SELECT count(*) AS logged FROM log WHERE msg IN ('w', 's');
-- the volatility follows ALTER FUNCTION at once
ALTER FUNCTION writer(text) STABLE;
SELECT writer('INSERT INTO log VALUES (''w'')');
ALTER FUNCTION writer(text) VOLATILE;
SELECT writer('INSERT INTO log VALUES (''w'')');

-- the calling user's privileges: nothing new is granted
CREATE FUNCTION whoami() RETURNS text LANGUAGE tmebox AS $$
	tmebox_sql_result *r = tmebox_sql("SELECT current_user::text", 0, NULL);
	tmebox_row *row = tmebox_sql_row(r, 0);
	return tmebox_buf_from_cstr(tmebox_row_text(row, 0));
$$;
SELECT whoami();
SELECT run('SELECT * FROM secret', NULL);
SELECT pg_temp.sqlstate_of($$SELECT unhandled('SELECT * FROM secret')$$);
RESET ROLE;
GRANT EXECUTE ON FUNCTION whoami() TO regress_spi_other;
SET ROLE regress_spi_other;
SELECT whoami();
RESET ROLE;
SELECT whoami(), run('SELECT * FROM secret', NULL);
SET ROLE regress_spi;

-- prepared statements and cursors: a large result read in batches stays
-- under the tenant's 64MB limit; kept whole in the sandbox it does not
-- (53200, and the function works again after: the sandbox's malloc or
-- the fetch's executor memory, whichever comes first, pl_spimem.c)
CREATE FUNCTION cursor_sum(n int4, batch int4, keep bool) RETURNS int8 LANGUAGE tmebox AS $$
	tmebox_sql_plan *p = tmebox_sql_prepare(
		"SELECT i, repeat('x', 100) AS pad FROM generate_series(1, $1) i", 1,
		(tmebox_sql_arg[]) {TMEBOX_SQL_INT4(0)});
	tmebox_sql_cursor *c = tmebox_sql_open(p, 1, (tmebox_sql_arg[]) {TMEBOX_SQL_INT4(n)});
	int64_t sum = 0;
	for (;;) {
		tmebox_sql_result *r = tmebox_sql_fetch(c, (uint32_t) batch);
		if (r->nrows == 0)
			break;
		for (uint32_t i = 0; i < r->nrows; i++) {
			tmebox_row *row = tmebox_sql_row(r, i);
			sum += tmebox_row_int(row, 0);
			if (!keep)
				free(row);
		}
		tmebox_sql_free(r);
	}
	tmebox_sql_close(c);
	tmebox_sql_plan_free(p);
	return sum;
$$;
SELECT cursor_sum(200000, 1000, false);
\set VERBOSITY terse
SELECT cursor_sum(600000, 1000, true);
\set VERBOSITY default
SELECT cursor_sum(10, 3, false);
-- one fetch of every row: the host makes it in batches (16 rows, then
-- as many as 1 MB holds), joined in order
SELECT cursor_sum(50000, 50000, false) = 50000::int8 * 50001 / 2 AS one_fetch;
-- results held under handles count against the limit too (the host's copies
-- of their rows are the tenant's memory): 5 x 16 MB never copied in is
-- 53200, and the function works again after (red team s9 F2)
CREATE FUNCTION hold(k int4, mb int4) RETURNS int8 LANGUAGE tmebox AS $$
	int64_t n = 0;
	for (int i = 0; i < k; i++) {
		tmebox_sql_result *r = tmebox_sql("SELECT repeat('x', $1 * 1000000)", 1,
										  (tmebox_sql_arg[]) {TMEBOX_SQL_INT4(mb)});
		n += r->nrows;
	}
	return n;
$$;
SELECT pg_temp.sqlstate_of('SELECT hold(5, 16)');
SELECT hold(2, 16);
-- a statement longer than the plan cache takes (8 kB) runs uncached, right
CREATE FUNCTION long_statement(n int4, x int4) RETURNS int8 LANGUAGE tmebox AS $$
	size_t len = (size_t) n;
	char *q = malloc(len + 64);
	int p = snprintf(q, 64, "SELECT $1::int8 + length('");
	memset(q + p, 'y', len);
	strcpy(q + p + len, "')");
	int64_t s = tmebox_sql_int(q, 1, (tmebox_sql_arg[]) {TMEBOX_SQL_INT4(x)}, NULL);
	free(q);
	return s;
$$;
SELECT long_statement(20000, 1), long_statement(20000, 2), long_statement(100, 3);
-- a prepared statement run several times, with the wrong parameter count
CREATE FUNCTION prepared() RETURNS text LANGUAGE tmebox AS $$
	static char out[256];
	tmebox_sql_plan *p = tmebox_sql_prepare("SELECT $1 * 2", 1,
											(tmebox_sql_arg[]) {TMEBOX_SQL_INT8(0)});
	int64_t s = 0;
	for (int i = 1; i <= 10; i++) {
		tmebox_sql_result *r = tmebox_sql_exec(p, 1, (tmebox_sql_arg[]) {TMEBOX_SQL_INT8(i)});
		tmebox_row *row = tmebox_sql_row(r, 0);
		s += tmebox_row_int(row, 0);
		free(row);
		tmebox_sql_free(r);
	}
	tmebox_sql_result *bad = tmebox_sql_exec_try(p, 0, NULL);
	snprintf(out, sizeof out, "%lld %s", (long long) s, bad->ok ? "ok" : bad->sqlstate);
	return tmebox_buf_from_cstr(out);
$$;
SELECT prepared();
CREATE FUNCTION prepared_badcount() RETURNS int8 LANGUAGE tmebox AS $$
	tmebox_sql_plan *p = tmebox_sql_prepare("SELECT $1 * 2", 1,
											(tmebox_sql_arg[]) {TMEBOX_SQL_INT8(0)});
	return tmebox_sql_exec(p, 2, (tmebox_sql_arg[]) {TMEBOX_SQL_INT8(1), TMEBOX_SQL_INT8(2)})->nrows;
$$;
SELECT prepared_badcount();
-- each argument of a prepared statement must be of the type it was
-- prepared with (red team s11 redC F3: a text given to an int8 parameter
-- came back as a host address, an int8 given to a uuid one was read as a
-- pointer); a NULL of any type is a NULL; the same through a cursor
CREATE FUNCTION prepared_types(k int4) RETURNS text LANGUAGE tmebox STRICT AS $$
	static char out[256];
	tmebox_sql_plan *p = tmebox_sql_prepare("SELECT $1::int8 AS v", 1,
											(tmebox_sql_arg[]) {TMEBOX_SQL_INT8(0)});
	tmebox_sql_plan *u = tmebox_sql_prepare("SELECT $1::uuid::text AS v", 1,
											(tmebox_sql_arg[]) {TMEBOX_SQL_AS(2950, "00000000-0000-0000-0000-000000000000")});
	tmebox_sql_arg text = TMEBOX_SQL_TEXT("hello"), i8 = TMEBOX_SQL_INT8(4096), i4 = TMEBOX_SQL_INT4(7);
	tmebox_sql_arg null_text = TMEBOX_SQL_NULL;
	tmebox_sql_result *r;
	switch (k) {
	case 0:	r = tmebox_sql_exec(p, 1, &i8); break;
	case 1:	r = tmebox_sql_exec(p, 1, &text); break;
	case 2:	r = tmebox_sql_exec(u, 1, &i8); break;
	case 3:	r = tmebox_sql_exec(p, 1, &i4); break;
	case 4:	r = tmebox_sql_fetch(tmebox_sql_open(p, 1, &text), 1); break;
	case 5:	r = tmebox_sql_exec(p, 1, &null_text); break;
	default: r = tmebox_sql_exec_try(p, 1, &text);
		snprintf(out, sizeof out, "%s", r->ok ? "ok" : r->sqlstate);
		return tmebox_buf_from_cstr(out);
	}
	tmebox_row *row = tmebox_sql_row(r, 0);
	snprintf(out, sizeof out, "%lld", tmebox_row_isnull(row, 0) ? -1LL : (long long) tmebox_row_int(row, 0));
	return tmebox_buf_from_cstr(out);
$$;
SELECT prepared_types(0);
SELECT prepared_types(1);
SELECT prepared_types(2);
SELECT prepared_types(3);
SELECT prepared_types(4);
SELECT prepared_types(5);
SELECT prepared_types(6);

-- DO blocks and set-returning functions run statements too
DO LANGUAGE tmebox $$
	tmebox_sql("INSERT INTO log VALUES ('from DO')", 0, NULL);
$$;
SELECT count(*) AS from_do FROM log WHERE msg = 'from DO';
CREATE FUNCTION item_ids() RETURNS SETOF int4 LANGUAGE tmebox AS $$
	tmebox_sql_result *r = tmebox_sql("SELECT id FROM items ORDER BY id DESC", 0, NULL);
	tmebox_array_i32 *a = tmebox_array_i32_new(r->nrows);
	for (uint32_t i = 0; i < r->nrows; i++) {
		tmebox_row *row = tmebox_sql_row(r, i);
		a->v[i] = (int32_t) tmebox_row_int(row, 0);
		free(row);
	}
	return a;
$$;
SELECT * FROM item_ids();

-- cancel and statement_timeout inside a statement end the call (57014),
-- also from the _try variant; the function works after
CREATE FUNCTION sleepy(secs float8) RETURNS text LANGUAGE tmebox AS $$
	tmebox_sql_result *r = tmebox_sql_try("SELECT pg_sleep($1)", 1,
										  (tmebox_sql_arg[]) {TMEBOX_SQL_FLOAT8(secs)});
	return tmebox_buf_from_cstr(r->ok ? "slept" : r->sqlstate);
$$;
SET statement_timeout = '300ms';
SELECT sleepy(10);
RESET statement_timeout;
SELECT sleepy(0);

-- nested tmebox calls from a statement are refused, the outer call sees
-- the error as a SQL error (handled, or raised with 0A000)
SELECT run('SELECT plus_one(1)', NULL);
SELECT pg_temp.sqlstate_of($$SELECT unhandled('SELECT plus_one(1)')$$);
SELECT run('SELECT run(''SELECT 1'', NULL)', NULL);
SELECT run('DO LANGUAGE tmebox $x$ return; $x$', NULL);
SELECT plus_one(2);
-- another tenant's function is refused the same way
RESET ROLE;
SELECT tmebox.create_tenant('spi_b', owner => 'regress_spi_other') > 0 AS created;
GRANT USAGE ON LANGUAGE tmebox TO regress_spi_other;
SET ROLE regress_spi_other;
CREATE FUNCTION other_tenant() RETURNS int4 LANGUAGE tmebox AS $$ return 7; $$;
SELECT other_tenant();
SET ROLE regress_spi;
SELECT run('SELECT other_tenant()', NULL);
SELECT other_tenant(), plus_one(3);

-- forged handles, parameter rows and ranges from the view
CREATE FUNCTION forge(what int4) RETURNS int8 LANGUAGE tmebox STRICT AS $$
extern uint64_t __tmebox_host_sql_row(int32_t h, int64_t row, void *out, uint64_t cap);
extern uint64_t __tmebox_host_sql_info(int32_t h, void *out, uint64_t cap);
extern void __tmebox_host_sql_free(int32_t h);
extern int32_t __tmebox_host_sql_exec(const char *query, uint64_t qlen, const void *params,
									  uint64_t psize, int64_t limit, int32_t flags);
extern int32_t __tmebox_host_sql_fetch(int32_t cursor, int64_t n, int32_t flags);
extern void __tmebox_host_sql_raise(int32_t h);
int64_t forge(int32_t what)
{
	static char buf[512];
	uint32_t *img = (uint32_t *) buf;
	tmebox_sql_result *r = tmebox_sql("SELECT 1", 0, NULL);
	tmebox_sql_plan *p = tmebox_sql_prepare("SELECT 1", 0, NULL);
	switch (what) {
	case 1: return (int64_t) __tmebox_host_sql_row(9999, 0, buf, sizeof buf);	/* no such handle */
	case 2: return (int64_t) __tmebox_host_sql_row(-1, 0, buf, sizeof buf);
	case 3: return (int64_t) __tmebox_host_sql_info((int32_t) (intptr_t) p, buf, sizeof buf); /* a plan */
	case 4: __tmebox_host_sql_free(r->handle); __tmebox_host_sql_free(r->handle); return 0; /* twice */
	case 5: return __tmebox_host_sql_fetch(r->handle, 1, 0);	/* a result as a cursor */
	case 6: __tmebox_host_sql_raise(r->handle); return 0;		/* no error to raise */
	case 7: return (int64_t) __tmebox_host_sql_row(r->handle, 0, (void *) 0x10, 64); /* out of the view */
	case 8: return (int64_t) __tmebox_host_sql_row(r->handle, 0, buf, UINT64_C(1) << 40);
	case 9: return (int64_t) __tmebox_host_sql_row(r->handle, 5, buf, sizeof buf);	/* past the end: 0 */
	case 10: return __tmebox_host_sql_exec((const char *) 0xfffff000, 100, NULL, 0, 0, 0);
	case 11: return __tmebox_host_sql_exec("SELECT 1", UINT64_C(1) << 33, NULL, 0, 0, 0);
	case 12: return __tmebox_host_sql_exec("SELECT 1\0; DROP TABLE items", 27, NULL, 0, 0, 0);
	case 13: return __tmebox_host_sql_exec("SELECT \xff", 8, NULL, 0, 0, 0);
	/* parameter rows: header lies, descriptors outside, bad types/flags/lengths */
	case 14: img[0] = 1; img[1] = 400; return __tmebox_host_sql_exec("SELECT $1", 9, buf, 64, 0, 0);
	case 15: img[0] = 100; img[1] = 64; return __tmebox_host_sql_exec("SELECT $1", 9, buf, 64, 0, 0);
	case 16: img[0] = 1; img[1] = 64; img[2] = 32; img[3] = 60; img[4] = 8; img[6] = 3;
		return __tmebox_host_sql_exec("SELECT $1", 9, buf, 64, 0, 0);	/* value past the end */
	case 17: img[0] = 1; img[1] = 64; img[2] = 32; img[3] = 40; img[4] = 4; img[6] = 99;
		return __tmebox_host_sql_exec("SELECT $1", 9, buf, 64, 0, 0);	/* type 99 */
	case 18: img[0] = 1; img[1] = 64; img[2] = 32; img[3] = 40; img[4] = 2; img[6] = 3;
		return __tmebox_host_sql_exec("SELECT $1", 9, buf, 64, 0, 0);	/* int4 of 2 bytes */
	case 19: img[0] = 1; img[1] = 64; img[2] = 32; img[3] = 40; img[4] = 12; img[6] = 7; img[10] = 100;
		return __tmebox_host_sql_exec("SELECT $1", 9, buf, 64, 0, 0);	/* buffer length lies */
	case 20: img[0] = 1; img[1] = 64; img[2] = 32; img[3] = 40; img[4] = 4; img[5] = 2278; img[6] = 7 | (2 << 16);
		return __tmebox_host_sql_exec("SELECT $1", 9, buf, 64, 0, 0);	/* pseudo-type cstring */
	case 21: img[0] = 1; img[1] = 64; img[2] = 32; img[3] = 40; img[4] = 4; img[6] = 3 | (64 << 16);
		return __tmebox_host_sql_exec("SELECT $1", 9, buf, 64, 0, 0);	/* unknown flag */
	case 22: img[0] = 1; img[1] = 64; img[2] = 32; img[3] = 8; img[4] = 4; img[6] = 3;
		return __tmebox_host_sql_exec("SELECT $1", 9, buf, 64, 0, 0);	/* value over the descriptors */
	case 23: img[0] = 1; img[1] = 64; img[2] = 32; img[3] = 40; img[4] = 5; img[5] = 23; img[6] = 7 | (2 << 16);
		buf[40] = 1; buf[44] = 'x';
		return __tmebox_host_sql_exec("SELECT $1", 9, buf, 64, 0, 0);	/* int4 from text 'x' */
	case 24: img[0] = 1; img[1] = 64; img[2] = 32; img[3] = 40; img[4] = 5; img[5] = 23; img[6] = 7;
		buf[40] = 1; buf[44] = 'x';
		return __tmebox_host_sql_exec("SELECT $1", 9, buf, 64, 0, 0);	/* int4 as a buffer */
	}
	return -1;
}
$$;
SELECT what, pg_temp.sqlstate_of(format('SELECT forge(%s)', what)) FROM generate_series(1, 24) what;
SELECT forge(9);
SELECT forge(1);
SELECT forge(7);
SELECT forge(12);
SELECT forge(16);
SELECT forge(17);
SELECT forge(23);
SELECT forge(24);
-- the function works after every one of them
SELECT plus_one(3), show_items() IS NOT NULL AS ok;

-- A result made after a handled error lives in the call's memory, not in
-- the statement memory the next statement resets (red team s9 F1: it
-- showed the next statement's text, or crashed the backend).
CREATE FUNCTION after_handled() RETURNS bytea LANGUAGE tmebox AS $$
	tmebox_sql_result *r = tmebox_sql_try("SELECT 1/0", 0, NULL);

	(void) r;
	return tmebox_buf_from("ABCDEFGH", 8);
$$;
CREATE FUNCTION next_statement(q text) RETURNS int4 LANGUAGE tmebox AS $$
	tmebox_sql("SELECT 1", 0, NULL);
	tmebox_sql_try(q->data, 0, NULL);
	return 0;
$$;
SELECT after_handled(), next_statement('SELECT ''this is another statement''''s text''');
SELECT length(x), x FROM (SELECT after_handled() x, next_statement(E'\x04\x01\x01\x01 SELECT 1') y OFFSET 0) s;

-- the session's plan cache is bounded by memory (red team s10 F3): a
-- 40-byte statement over a view of 256 UNION ALL branches has a plan of
-- megabytes, which is not kept; a small plan is, until DISCARD PLANS
RESET ROLE;
CREATE VIEW spi_v0 AS SELECT 1 AS x;
DO $$ BEGIN FOR i IN 1..8 LOOP
	EXECUTE format('CREATE VIEW spi_v%s AS SELECT * FROM spi_v%s UNION ALL SELECT * FROM spi_v%s', i, i - 1, i - 1);
END LOOP; END $$;
GRANT SELECT ON spi_v8 TO regress_spi;
CREATE VIEW spi_cached AS SELECT name, ident FROM pg_backend_memory_contexts
	WHERE ident IN ('SELECT count(*) FROM spi_v8', 'SELECT count(*) FROM items');
SET ROLE regress_spi;
SELECT writer('SELECT count(*) FROM spi_v8'), writer('SELECT count(*) FROM items');
-- an empty statement has no plan source: cached and found again, it
-- crashed the backend (read of the first source of none)
SELECT writer(''), writer(''), writer('-- nothing'), writer('-- nothing');
RESET ROLE;
SELECT * FROM spi_cached ORDER BY 1, 2;
DISCARD PLANS;
SELECT * FROM spi_cached ORDER BY 1, 2;
DROP VIEW spi_cached, spi_v8, spi_v7, spi_v6, spi_v5, spi_v4, spi_v3, spi_v2, spi_v1, spi_v0;
-- a statement that fails leaves no copy of itself behind (red team s10 F7:
-- its 2 MB text stayed in "tmebox SQL statement" after the call)
SET ROLE regress_spi;
SELECT pg_temp.sqlstate_of($$SELECT unhandled('SELECT 1 /*' || repeat('x', 2000000) || '*/ +')$$);
RESET ROLE;
SELECT total_bytes < 100000 AS statement_scratch_freed FROM pg_backend_memory_contexts
	WHERE name = 'tmebox SQL statement';
SET ROLE regress_spi;

RESET ROLE;
DROP FUNCTION after_handled(), next_statement(text);
DROP FUNCTION forge(int4), plus_one(int4), show_items(), params(), nulls_and_empty(),
	run(text, int4), handled(), unhandled(text), reraise(), writer(text),
	stable_writer(text), immutable_writer(text), whoami(), cursor_sum(int4, int4, bool),
	hold(int4, int4), long_statement(int4, int4),
	prepared(), prepared_badcount(), prepared_types(int4), item_ids(), sleepy(float8),
	prepared_run(text, bool), cursor_run(text);
DROP PROCEDURE commits(), tx_proc();
DROP FUNCTION other_tenant();
DROP TABLE items, log, secret;
SELECT tmebox.drop_tenant('spi');
SELECT tmebox.drop_tenant('spi_b');
REVOKE USAGE ON LANGUAGE tmebox FROM regress_spi_other;
REVOKE CREATE, USAGE ON SCHEMA public FROM regress_spi;
REVOKE USAGE ON SCHEMA tmebox FROM regress_spi;
REVOKE USAGE ON LANGUAGE tmebox FROM regress_spi;
DROP ROLE regress_spi_other;
DROP ROLE regress_spi;
