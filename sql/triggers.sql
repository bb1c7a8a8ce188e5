-- triggers: CREATE FUNCTION f() RETURNS trigger LANGUAGE tmebox.  The body
-- (or a module's TMEBOX_TRIGGER(name) { ... }) sees tmebox_trigger *tg:
-- TG_NAME, TG_WHEN, TG_OP, TG_LEVEL, table and schema, arguments, NEW and
-- OLD as dynamic rows (tmebox_row); it returns the row to write, or NULL to
-- skip it (BEFORE ROW and INSTEAD OF); AFTER and statement-level results
-- are ignored.  A returned row is checked against the table (42804 for
-- another shape, 22P03 for a malformed row, the type's SQLSTATE for a bad
-- value, 23514 for a domain), a fault ends the statement (38000), the
-- tenant's memory limit bounds the rows (53200), and a trigger fired by a
-- statement a tmebox function runs is refused (0A000).
\pset null '(null)'

CREATE ROLE regress_trg;
CREATE ROLE regress_trg_other;
CREATE ROLE regress_trg_user;
GRANT USAGE ON LANGUAGE tmebox TO regress_trg;
GRANT USAGE ON SCHEMA tmebox TO regress_trg;
GRANT CREATE ON SCHEMA public TO regress_trg, regress_trg_other;
SELECT tmebox.create_tenant('trg', owner => 'regress_trg',
                            memory_limit => '8MB') > 0 AS created;

CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END
$$;

SET ROLE regress_trg;

-- TG_* values, arguments, NEW and OLD: a trigger that reports what it sees
CREATE FUNCTION show() RETURNS trigger LANGUAGE tmebox AS $$
	tmebox_notice("%s: %s %s %s on %s.%s, %d argument(s)%s%s", tg->name,
				  tg->when_name, tg->op_name, tg->level_name, tg->table_schema,
				  tg->table_name, tg->nargs, tg->new_row ? ", NEW" : "",
				  tg->old_row ? ", OLD" : "");
	for (int i = 0; i < tg->nargs; i++)
		tmebox_notice("  argument %d: \"%s\"", i, tg->args[i]);
	if (tg->op != (tg->op_name[0] == 'I' ? TMEBOX_TG_INSERT : tg->op_name[0] == 'U' ? TMEBOX_TG_UPDATE :
				   tg->op_name[0] == 'D' ? TMEBOX_TG_DELETE : TMEBOX_TG_TRUNCATE) ||
		tg->level != (tg->level_name[0] == 'R' ? TMEBOX_TG_ROW : TMEBOX_TG_STATEMENT) ||
		tg->when != (tg->when_name[0] == 'B' ? TMEBOX_TG_BEFORE : tg->when_name[0] == 'A' ?
					 TMEBOX_TG_AFTER : TMEBOX_TG_INSTEAD_OF))
		tmebox_error("codes and names disagree");
	return tg->new_row ? tg->new_row : tg->old_row;
$$;

-- a module of trigger functions
SELECT cardinality(tmebox.create_module('trg', 'trg', $$
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tmebox.h>

static void
dump(const char *what, const tmebox_row *r)
{
	char		line[512];
	int			n = 0;

	if (r == NULL)
		return;
	for (int i = 0; i < tmebox_row_ncols(r); i++)
	{
		const char *v;
		char		num[64];

		if (r->col[i].flags & TMEBOX_COL_DROPPED)
			continue;
		if (tmebox_row_isnull(r, i))
			v = "NULL";
		else if (tmebox_row_type(r, i) == TMEBOX_TYPE_BUF)
			v = tmebox_row_text(r, i);
		else if (tmebox_row_type(r, i) == TMEBOX_TYPE_F32 ||
				 tmebox_row_type(r, i) == TMEBOX_TYPE_F64)
		{
			snprintf(num, sizeof num, "%g", tmebox_row_float(r, i));
			v = num;
		}
		else
		{
			snprintf(num, sizeof num, "%lld", (long long) tmebox_row_int(r, i));
			v = num;
		}
		n += snprintf(line + n, sizeof line - n, " %s=%s(%d%s)", tmebox_row_name(r, i), v,
					  tmebox_row_type(r, i), tmebox_row_is_text(r, i) ? ",text" : "");
	}
	tmebox_notice("%s:%s", what, line);
}

/* reports NEW and OLD, returns NEW (or OLD) untouched */
TMEBOX_TRIGGER(dump_rows)
{
	dump("NEW", tg->new_row);
	dump("OLD", tg->old_row);
	return tg->new_row ? tg->new_row : tg->old_row;
}

/* BEFORE INSERT/UPDATE: qty doubled, name upper-cased, price + 1 (numeric as text) */
TMEBOX_TRIGGER(change)
{
	int			q = tmebox_row_find(tg->new_row, "qty");
	int			n = tmebox_row_find(tg->new_row, "name");
	int			p = tmebox_row_find(tg->new_row, "price");
	char		up[64];
	char		price[64];
	const char *s;

	if (!tmebox_row_isnull(tg->new_row, q))
		tg->new_row = tmebox_row_set_int(tg->new_row, q, tmebox_row_int(tg->new_row, q) * 2);
	if ((s = tmebox_row_text(tg->new_row, n)) != NULL)
	{
		size_t		i;

		for (i = 0; s[i] && i < sizeof up - 1; i++)
			up[i] = (s[i] >= 'a' && s[i] <= 'z') ? s[i] - 32 : s[i];
		up[i] = '\0';
		tg->new_row = tmebox_row_set_text(tg->new_row, n, up);
	}
	if ((s = tmebox_row_text(tg->new_row, p)) != NULL)
	{
		/* text form of numeric: the host's numeric_in parses it */
		snprintf(price, sizeof price, "%.2f", strtod(s, NULL) + 1);
		tg->new_row = tmebox_row_set_text(tg->new_row, p, price);
	}
	return tg->new_row;
}

/* skip rows whose qty is odd (NULL qty: kept) */
TMEBOX_TRIGGER(skip_odd)
{
	const tmebox_row *r = tg->new_row ? tg->new_row : tg->old_row;
	int			q;

	if (r == NULL)
		return NULL;			/* statement level */
	q = tmebox_row_find(r, "qty");
	if (!tmebox_row_isnull(r, q) && tmebox_row_int(r, q) % 2 != 0)
		return NULL;
	return tg->new_row ? tg->new_row : tg->old_row;
}

/* a column set to NULL (the first argument names it) */
TMEBOX_TRIGGER(null_col)
{
	return tg->new_row = tmebox_row_set_null(tg->new_row, tmebox_row_find(tg->new_row, tg->args[0]));
}

/* a column set to the text of argument 1 (the first argument names it) */
TMEBOX_TRIGGER(set_text)
{
	return tg->new_row = tmebox_row_set_text(tg->new_row, tmebox_row_find(tg->new_row, tg->args[0]),
											 tg->args[1]);
}

/* invalid rows, by the first argument */
TMEBOX_TRIGGER(bad_row)
{
	tmebox_row *r = tg->new_row;
	const char *how = tg->args[0];

	if (strcmp(how, "ncols") == 0)
		r->ncols--;
	else if (strcmp(how, "ncols_big") == 0)
		r->ncols = 100000;
	else if (strcmp(how, "size") == 0)
		r->size = 4;
	else if (strcmp(how, "typecode") == 0)
		r->col[0].type = 99;
	else if (strcmp(how, "typecode_other") == 0)
		r->col[0].type = TMEBOX_TYPE_F64;
	else if (strcmp(how, "offset") == 0)
		r->col[1].value = 0x7ffffff0;
	else if (strcmp(how, "vsize") == 0)
		r->col[1].vsize = r->size;
	else if (strcmp(how, "flags") == 0)
		r->col[0].flags |= 64;
	else if (strcmp(how, "sqltype") == 0)
		r->col[0].sqltype = 25;
	else if (strcmp(how, "pointer") == 0)
		return (tmebox_row *) (uintptr_t) 0x7ffffff0;
	else if (strcmp(how, "range") == 0)
		r->size = 0x40000000;
	return r;
}

/* sets column "who" to the role the trigger runs as (SQL: current_user) */
TMEBOX_TRIGGER(whoami)
{
	tmebox_sql_result *r = tmebox_sql("SELECT current_user::text", 0, NULL);
	tmebox_row *u = tmebox_sql_row(r, 0);

	tg->new_row = tmebox_row_set_text(tg->new_row, tmebox_row_find(tg->new_row, "who"),
									  tmebox_row_text(u, 0));
	free(u);
	return tg->new_row;
}

/* overwrites k bytes of NEW, chosen from the row's first column and the
 * first argument (a seed): anywhere in the header, descriptors, names or
 * values */
TMEBOX_TRIGGER(corrupt)
{
	tmebox_row *r = tg->new_row;
	uint32_t	h = (uint32_t) tmebox_row_int(r, 0) * 2654435761u ^ (uint32_t) atoi(tg->args[0]);
	uint32_t	size = r->size;
	int			k = 1 + (int) (h % 3);

	for (int j = 0; j < k; j++)
	{
		h = h * 1103515245u + 12345u;
		((unsigned char *) r)[(h >> 8) % size] = (unsigned char) (h >> 24);
	}
	if ((h >> 4) % 16 == 0)
		r->size = size;			/* the size field kept: only the rest */
	return r;
}

/* keeps the first row it sees and returns it for every later one */
static tmebox_row *kept;

TMEBOX_TRIGGER(other_row)
{
	if (kept == NULL)
	{
		kept = malloc(tg->new_row->size);
		memcpy(kept, tg->new_row, tg->new_row->size);
		return tg->new_row;
	}
	tmebox_row *r = malloc(kept->size);
	memcpy(r, kept, kept->size);
	return r;
}

/* faults on the row whose id is the first argument */
TMEBOX_TRIGGER(fault_at)
{
	if (tmebox_row_int(tg->new_row, 0) == atoi(tg->args[0]))
		*(volatile int *) 16 = 1;
	return tg->new_row;
}

/* leaks the first argument's kB per row */
TMEBOX_TRIGGER(leak)
{
	char	   *p = malloc((size_t) atoi(tg->args[0]) * 1024);

	if (p == NULL)
		tmebox_error("malloc failed");
	memset(p, 1, (size_t) atoi(tg->args[0]) * 1024);
	return tg->new_row;
}

/* runs an INSERT into victim, whose tmebox trigger is then refused */
void insert_victim(void)
{
	tmebox_sql("INSERT INTO victim VALUES (99, 'nested')", 0, NULL);
}

/* no trigger: an ordinary function */
int32_t plus(int32_t a, int32_t b) { return a + b; }
/* the shape of a trigger's export, but not TMEBOX_TRIGGER's */
int32_t fake(int32_t a, int32_t b, int32_t c) { return a + b + c; }
$$)) > 0 AS compiled;

CREATE TABLE items (id int4, name text, price numeric(8,2), qty int2,
                    note varchar(5), made date, ratio float8);
CREATE TRIGGER a_stmt BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON items
	FOR EACH STATEMENT EXECUTE FUNCTION show('one', 'two words', '');
CREATE TRIGGER b_row AFTER INSERT OR UPDATE OR DELETE ON items
	FOR EACH ROW EXECUTE FUNCTION show();
INSERT INTO items VALUES (1, 'pen', 1.50, 3, 'blue', '2024-02-29', 0.5);
UPDATE items SET qty = 4;
DELETE FROM items;
TRUNCATE items;
DROP TRIGGER a_stmt ON items;
-- names as they are at each statement, also in one top-level statement
-- (the description is built once per statement: renames are commands)
DO $$
BEGIN
	INSERT INTO items (id) VALUES (1);
	ALTER TABLE items RENAME TO items_renamed;
	ALTER TRIGGER b_row ON items_renamed RENAME TO b_row_renamed;
	INSERT INTO items_renamed (id) VALUES (2);
	ALTER TABLE items_renamed RENAME TO items;
	ALTER TRIGGER b_row_renamed ON items RENAME TO b_row;
	DELETE FROM items;
END $$;
DROP TRIGGER b_row ON items;

-- the rows as the trigger sees them: numeric as text, NULLs, a module trigger
CREATE FUNCTION dump_rows() RETURNS trigger LANGUAGE tmebox AS 'trg.dump_rows';
CREATE TRIGGER dump BEFORE INSERT OR UPDATE OR DELETE ON items
	FOR EACH ROW EXECUTE FUNCTION dump_rows();
INSERT INTO items VALUES (1, 'pen', 1.50, 3, 'blue', '2024-02-29', 0.5),
                         (2, NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE items SET price = price * 2 WHERE id = 1;
DELETE FROM items WHERE id = 2;
SELECT * FROM items ORDER BY id;
DROP TRIGGER dump ON items;
DELETE FROM items;

-- BEFORE triggers change the row
CREATE FUNCTION change() RETURNS trigger LANGUAGE tmebox AS 'trg.change';
CREATE TRIGGER change BEFORE INSERT OR UPDATE ON items
	FOR EACH ROW EXECUTE FUNCTION change();
INSERT INTO items VALUES (1, 'pen', 1.50, 3, 'blue', '2024-02-29', 0.5),
                         (2, NULL, NULL, NULL, NULL, NULL, NULL);
SELECT * FROM items ORDER BY id;
UPDATE items SET qty = qty + 1, name = 'ink' WHERE id = 1 RETURNING *;
DROP TRIGGER change ON items;

-- ... or skip it (NULL); AFTER and statement-level results are ignored
CREATE FUNCTION skip_odd() RETURNS trigger LANGUAGE tmebox AS 'trg.skip_odd';
DELETE FROM items;
CREATE TRIGGER skip BEFORE INSERT OR UPDATE OR DELETE ON items
	FOR EACH ROW EXECUTE FUNCTION skip_odd();
CREATE TRIGGER skip_after AFTER INSERT ON items
	FOR EACH ROW EXECUTE FUNCTION skip_odd();
CREATE TRIGGER skip_stmt BEFORE INSERT ON items
	FOR EACH STATEMENT EXECUTE FUNCTION skip_odd();
INSERT INTO items (id, qty) SELECT g, g FROM generate_series(1, 6) g;
SELECT id, qty FROM items ORDER BY id;
UPDATE items SET qty = qty + 1 WHERE id = 2;
DELETE FROM items WHERE id IN (2, 4);
SELECT id, qty FROM items ORDER BY id;
DROP TRIGGER skip ON items;
DROP TRIGGER skip_after ON items;
DROP TRIGGER skip_stmt ON items;
DELETE FROM items;

-- a body form trigger that sets a column to NULL; NOT NULL is PostgreSQL's check
CREATE FUNCTION null_col() RETURNS trigger LANGUAGE tmebox AS 'trg.null_col';
CREATE TABLE strict_items (id int4, name text NOT NULL);
CREATE TRIGGER nul BEFORE INSERT ON strict_items
	FOR EACH ROW EXECUTE FUNCTION null_col('name');
INSERT INTO strict_items VALUES (1, 'x');
CREATE TRIGGER nul BEFORE INSERT ON items
	FOR EACH ROW EXECUTE FUNCTION null_col('name');
INSERT INTO items (id, name) VALUES (1, 'x') RETURNING id, name;
DROP TRIGGER nul ON items;
DELETE FROM items;

-- dropped columns: in the rows, always NULL, and kept in a returned row
ALTER TABLE items DROP COLUMN note;
CREATE TRIGGER dump BEFORE INSERT OR UPDATE ON items
	FOR EACH ROW EXECUTE FUNCTION dump_rows();
CREATE TRIGGER change BEFORE INSERT OR UPDATE ON items
	FOR EACH ROW EXECUTE FUNCTION change();
INSERT INTO items VALUES (7, 'cup', 2.25, 5, '2024-01-01', 1.5);
SELECT * FROM items;
DROP TRIGGER dump ON items;
DROP TRIGGER change ON items;
DELETE FROM items;

-- a value that fails its type's input, typmod or domain
CREATE FUNCTION set_text() RETURNS trigger LANGUAGE tmebox AS 'trg.set_text';
CREATE DOMAIN small AS int4 CHECK (VALUE < 10);
CREATE TABLE dom (id int4, s small, v varchar(3));
CREATE TRIGGER t1 BEFORE INSERT ON dom FOR EACH ROW EXECUTE FUNCTION set_text('id', 'abc');
INSERT INTO dom VALUES (1, 1, 'a');
DROP TRIGGER t1 ON dom;
CREATE TRIGGER t2 BEFORE INSERT ON dom FOR EACH ROW EXECUTE FUNCTION set_text('s', '42');
INSERT INTO dom VALUES (1, 1, 'a');
DROP TRIGGER t2 ON dom;
CREATE TRIGGER t3 BEFORE INSERT ON dom FOR EACH ROW EXECUTE FUNCTION set_text('v', 'abcdef');
INSERT INTO dom VALUES (1, 1, 'a');
DROP TRIGGER t3 ON dom;
CREATE TRIGGER t4 BEFORE INSERT ON dom FOR EACH ROW EXECUTE FUNCTION set_text('s', '7');
INSERT INTO dom VALUES (1, 1, 'a') RETURNING *;
DROP TRIGGER t4 ON dom;

-- invalid rows, each way: a clean ERROR, and the session goes on
CREATE FUNCTION bad_row() RETURNS trigger LANGUAGE tmebox AS 'trg.bad_row';
CREATE TABLE victim (a int4, b text);
CREATE TRIGGER bad BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION bad_row('ncols');
INSERT INTO victim VALUES (1, 'x');
DROP TRIGGER bad ON victim;
CREATE TRIGGER bad BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION bad_row('ncols_big');
INSERT INTO victim VALUES (1, 'x');
DROP TRIGGER bad ON victim;
CREATE TRIGGER bad BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION bad_row('size');
INSERT INTO victim VALUES (1, 'x');
DROP TRIGGER bad ON victim;
CREATE TRIGGER bad BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION bad_row('typecode');
INSERT INTO victim VALUES (1, 'x');
DROP TRIGGER bad ON victim;
CREATE TRIGGER bad BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION bad_row('typecode_other');
INSERT INTO victim VALUES (1, 'x');
DROP TRIGGER bad ON victim;
CREATE TRIGGER bad BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION bad_row('offset');
INSERT INTO victim VALUES (1, 'x');
DROP TRIGGER bad ON victim;
CREATE TRIGGER bad BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION bad_row('vsize');
INSERT INTO victim VALUES (1, 'x');
DROP TRIGGER bad ON victim;
CREATE TRIGGER bad BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION bad_row('flags');
INSERT INTO victim VALUES (1, 'x');
DROP TRIGGER bad ON victim;
CREATE TRIGGER bad BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION bad_row('sqltype');
INSERT INTO victim VALUES (1, 'x');
DROP TRIGGER bad ON victim;
CREATE TRIGGER bad BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION bad_row('pointer');
INSERT INTO victim VALUES (1, 'x');
DROP TRIGGER bad ON victim;
CREATE TRIGGER bad BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION bad_row('range');
SELECT pg_temp.sqlstate_of('INSERT INTO victim VALUES (1, ''x'')');	-- a fault at its address
DROP TRIGGER bad ON victim;
-- the same broken row from an AFTER trigger: ignored, as PostgreSQL ignores it
CREATE TRIGGER bad AFTER INSERT ON victim FOR EACH ROW EXECUTE FUNCTION bad_row('typecode');
INSERT INTO victim VALUES (1, 'x');
DROP TRIGGER bad ON victim;
SELECT * FROM victim;

-- every returned row with 1 to 3 bytes overwritten anywhere (3000 rows,
-- each in its own statement): accepted, or a clean ERROR of the expected
-- kinds, and the backend alive
CREATE FUNCTION corrupt() RETURNS trigger LANGUAGE tmebox AS 'trg.corrupt';
CREATE TABLE fuzz (id int4, t text, f float8, n numeric, a int8[], d date, b bool, v varchar(4));
CREATE TRIGGER c BEFORE INSERT ON fuzz FOR EACH ROW EXECUTE FUNCTION corrupt('7');
CREATE TEMP TABLE fuzz_out (id int4, state text);
DO $$
BEGIN
	FOR i IN 1 .. 3000 LOOP
		BEGIN
			INSERT INTO fuzz VALUES (i, 'text ' || i, i / 3.0, i * 1.25, ARRAY[i, -i], '2024-01-01'::date + i, i % 2 = 0, 'v');
			INSERT INTO fuzz_out VALUES (i, '00000');
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO fuzz_out VALUES (i, SQLSTATE);
		END;
	END LOOP;
END $$;
SELECT count(*) AS statements,
	   bool_and(state IN ('00000', '22P03', '42804', '22021', '22P02', '22008',
						  '22003', '22007', '38000', '54000', '2201E', '22000')) AS expected_kinds,
	   count(*) FILTER (WHERE state = '00000') > 0 AS some_accepted,
	   count(*) FILTER (WHERE state = '22P03') > 0 AS some_malformed,
	   count(*) FILTER (WHERE state = '42804') > 0 AS some_other_shape
FROM fuzz_out;
SELECT state FROM fuzz_out WHERE state NOT IN ('00000', '22P03', '42804', '22021', '22P02', '22008',
						  '22003', '22007', '38000', '54000', '2201E', '22000') GROUP BY state;

-- a row of another table's shape
CREATE FUNCTION other_row() RETURNS trigger LANGUAGE tmebox AS 'trg.other_row';
CREATE TABLE first (x float8, y float8);
CREATE TABLE second (a int4, b text);
CREATE TABLE third (p float8, q float8, r float8);
CREATE TRIGGER o BEFORE INSERT ON first FOR EACH ROW EXECUTE FUNCTION other_row();
CREATE TRIGGER o BEFORE INSERT ON second FOR EACH ROW EXECUTE FUNCTION other_row();
CREATE TRIGGER o BEFORE INSERT ON third FOR EACH ROW EXECUTE FUNCTION other_row();
INSERT INTO first VALUES (1.5, 2.5);
INSERT INTO second VALUES (1, 'x');
INSERT INTO third VALUES (1, 2, 3);
-- of the same shape: accepted
INSERT INTO first VALUES (7, 8) RETURNING *;

-- a trigger that faults mid-statement: the statement rolls back
CREATE FUNCTION fault_at() RETURNS trigger LANGUAGE tmebox AS 'trg.fault_at';
CREATE TRIGGER f BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION fault_at('3');
INSERT INTO victim SELECT g, 'v' FROM generate_series(1, 5) g;
SELECT count(*) FROM victim;
INSERT INTO victim SELECT g, 'w' FROM generate_series(4, 5) g;
SELECT count(*) FROM victim;
DROP TRIGGER f ON victim;

-- out of memory in the middle of a multi-row statement (8MB limit)
CREATE FUNCTION leak() RETURNS trigger LANGUAGE tmebox AS 'trg.leak';
CREATE TRIGGER l BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION leak('512');
SELECT pg_temp.sqlstate_of('INSERT INTO victim SELECT g, ''m'' FROM generate_series(1, 100) g');
INSERT INTO victim SELECT g, 'm' FROM generate_series(1, 100) g;
SELECT count(*) FROM victim;
DROP TRIGGER l ON victim;
-- and the rows themselves: each in the sandbox's heap, freed after each row
CREATE TRIGGER d BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION dump_rows();
CREATE TRIGGER l BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION leak('0');
SET client_min_messages = warning;
INSERT INTO victim SELECT g, repeat('r', 100000) FROM generate_series(1, 200) g;
RESET client_min_messages;
SELECT count(*), sum(length(b)) FROM victim;
\set VERBOSITY terse
INSERT INTO victim VALUES (0, repeat('r', 9000000));
\set VERBOSITY default
DROP TRIGGER d ON victim;
DROP TRIGGER l ON victim;
DELETE FROM victim;

-- INSTEAD OF triggers on a view
INSERT INTO items (id, name, qty) VALUES (5, 'e', 5);
CREATE VIEW items_v AS SELECT id, name, qty FROM items;
CREATE TRIGGER i INSTEAD OF INSERT OR UPDATE OR DELETE ON items_v
	FOR EACH ROW EXECUTE FUNCTION show('view');
INSERT INTO items_v VALUES (1, 'a', 2) RETURNING *;
UPDATE items_v SET qty = 3 RETURNING *;
DELETE FROM items_v RETURNING *;
CREATE TRIGGER j INSTEAD OF INSERT ON items_v
	FOR EACH ROW EXECUTE FUNCTION skip_odd();
DROP TRIGGER i ON items_v;
INSERT INTO items_v VALUES (1, 'a', 1), (2, 'b', 2) RETURNING *;
SELECT * FROM items_v;
DELETE FROM items;

-- refused: declared arguments, a non-trigger C function, a direct call,
-- a function that does not return through TMEBOX_TRIGGER
CREATE FUNCTION args(int4) RETURNS trigger LANGUAGE tmebox AS 'trg.dump_rows';
CREATE FUNCTION notrig() RETURNS trigger LANGUAGE tmebox AS 'trg.plus';
CREATE FUNCTION faketrig() RETURNS trigger LANGUAGE tmebox AS 'trg.fake';
CREATE TRIGGER fake BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION faketrig();
INSERT INTO victim VALUES (1, 'x');
DROP TRIGGER fake ON victim;
SELECT show();
CREATE FUNCTION badbody() RETURNS trigger LANGUAGE tmebox AS $$ return 42; $$;
-- the trigger entry point called as an ordinary function
CREATE FUNCTION fake_call(int4, int4, int4) RETURNS int4 STRICT LANGUAGE tmebox AS 'trg.dump_rows';
SELECT fake_call(100, 0, 0);
SELECT fake_call(0, 0, 0);
-- a body in translation unit form
CREATE FUNCTION unit_trg() RETURNS trigger LANGUAGE tmebox AS $$
static int calls;
TMEBOX_TRIGGER(unit_trg)
{
	tmebox_notice("call %d on %s", ++calls, tg->table_name);
	return tg->new_row;
}
$$;
CREATE TRIGGER u BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION unit_trg();
INSERT INTO victim VALUES (1, 'x'), (2, 'y');
DROP TRIGGER u ON victim;
DELETE FROM victim;
RESET ROLE;

-- a table of another role, fired by a third role that owns a tenant of its
-- own: the trigger function runs in its owner's tenant (regress_trg's
-- "trg", as every tmebox function), with the privileges of whoever fires
-- it, or of its owner when SECURITY DEFINER (as in PostgreSQL)
SELECT tmebox.create_tenant('trg_user', owner => 'regress_trg_user') > 0 AS created;
SET ROLE regress_trg;
CREATE FUNCTION whoami() RETURNS trigger LANGUAGE tmebox AS 'trg.whoami';
CREATE FUNCTION whoami_definer() RETURNS trigger SECURITY DEFINER
	LANGUAGE tmebox AS 'trg.whoami';
RESET ROLE;
SET ROLE regress_trg_other;
CREATE TABLE others (id int4, who text);
CREATE TABLE others_def (id int4, who text);
CREATE TRIGGER w BEFORE INSERT ON others FOR EACH ROW EXECUTE FUNCTION whoami();
CREATE TRIGGER w BEFORE INSERT ON others_def FOR EACH ROW EXECUTE FUNCTION whoami_definer();
GRANT INSERT, SELECT ON others, others_def TO regress_trg_user;
RESET ROLE;
SET ROLE regress_trg_user;
INSERT INTO others VALUES (1, 'me');
INSERT INTO others_def VALUES (1, 'me');
SELECT * FROM others;
SELECT * FROM others_def;
RESET ROLE;
SELECT tenant FROM tmebox.instances WHERE module = 'trg' ORDER BY tenant;

-- nesting: a trigger fired by a statement that a tmebox function runs is
-- refused (0A000); without the trigger the statement runs
SET ROLE regress_trg;
CREATE FUNCTION insert_victim() RETURNS void LANGUAGE tmebox AS 'trg.insert_victim';
CREATE TRIGGER d BEFORE INSERT ON victim FOR EACH ROW EXECUTE FUNCTION dump_rows();
SELECT insert_victim();
SELECT count(*) FROM victim;
DROP TRIGGER d ON victim;
SELECT insert_victim();
SELECT * FROM victim;
DELETE FROM victim;
RESET ROLE;

SELECT q AS statement, pg_temp.sqlstate_of(q) AS sqlstate FROM (VALUES
	('INSERT INTO strict_items VALUES (1, ''x'')'),
	('SELECT show()'),
	('CREATE FUNCTION args2(int4) RETURNS trigger LANGUAGE tmebox AS ''trg.dump_rows''')
) AS t(q);

-- transition tables (REFERENCING NEW/OLD TABLE): the statements of the
-- trigger call see them by name, as PL/pgSQL's do (statement and row
-- level, INSERT/UPDATE/DELETE, an empty one, through a prepared plan and
-- cursors), and no one else: not after the trigger returns, not a
-- PL/pgSQL function its statement calls (its own SPI connection), not a
-- nested tmebox call (0A000); a table named like one (n) is its own again
-- afterwards (statements that see transition tables bypass the session's
-- plan cache: the same text is cached for the table by peek())
SET ROLE regress_trg;
CREATE TABLE tt (id int4, v text);
CREATE TABLE n (x int4);
INSERT INTO n VALUES (42);
CREATE FUNCTION peek(name text) RETURNS text LANGUAGE tmebox AS $$
	static char q[128];
	snprintf(q, sizeof q, "SELECT string_agg(t::text, ' ' ORDER BY t::text) FROM %s t", name->data);
	tmebox_sql_result *r = tmebox_sql_try(q, 0, NULL);
	if (!r->ok)
		return tmebox_buf_from_cstr(r->sqlstate);
	tmebox_row *row = tmebox_sql_row(r, 0);
	return tmebox_buf_from_cstr(tmebox_row_isnull(row, 0) ? "(empty)" : tmebox_row_text(row, 0));
$$;
CREATE FUNCTION o_count() RETURNS int8 LANGUAGE plpgsql AS $$
BEGIN
	RETURN (SELECT count(*) FROM o);
END
$$;
CREATE FUNCTION transitions() RETURNS trigger LANGUAGE tmebox AS $$
	static char out[2048];
	size_t pos = 0;
	const char *probes[4] = {"n", "o", "o_count()", "peek('n')"};
	for (int i = 0; i < 4; i++) {
		char q[128];
		if (i < 2)
			snprintf(q, sizeof q, "SELECT string_agg(t::text, ' ' ORDER BY t::text) FROM %s t", probes[i]);
		else
			snprintf(q, sizeof q, "SELECT %s::text", probes[i]);
		tmebox_sql_result *r = tmebox_sql_try(q, 0, NULL);
		tmebox_row *row = r->ok ? tmebox_sql_row(r, 0) : NULL;
		pos += snprintf(out + pos, sizeof out - pos, " %s: %s", probes[i], !r->ok ? r->sqlstate :
						tmebox_row_isnull(row, 0) ? "(empty)" : tmebox_row_text(row, 0));
	}
	if (tg->nargs > 0) {
		/* a prepared plan over the new rows, run twice */
		tmebox_sql_plan *p = tmebox_sql_prepare("SELECT count(*), sum(id) FROM n", 0, NULL);
		tmebox_row *a = tmebox_sql_row(tmebox_sql_exec(p, 0, NULL), 0);
		tmebox_row *b = tmebox_sql_row(tmebox_sql_exec(p, 0, NULL), 0);
		pos += snprintf(out + pos, sizeof out - pos, " prepared: %lld rows, sum %lld, again %lld",
						(long long) tmebox_row_int(a, 0), (long long) tmebox_row_int(a, 1),
						(long long) tmebox_row_int(b, 1));
	}
	tmebox_notice("%s %s %s %s:%s", tg->name, tg->when_name, tg->op_name, tg->level_name, out);
	return NULL;
$$;
SELECT peek('n'), peek('o');
CREATE TRIGGER s_ins AFTER INSERT ON tt REFERENCING NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION transitions('prepared');
CREATE TRIGGER s_upd AFTER UPDATE ON tt REFERENCING NEW TABLE AS n OLD TABLE AS o
	FOR EACH STATEMENT EXECUTE FUNCTION transitions();
CREATE TRIGGER s_del AFTER DELETE ON tt REFERENCING OLD TABLE AS o
	FOR EACH STATEMENT EXECUTE FUNCTION transitions();
CREATE TRIGGER r_upd AFTER UPDATE ON tt REFERENCING OLD TABLE AS o NEW TABLE AS n
	FOR EACH ROW EXECUTE FUNCTION transitions();
INSERT INTO tt VALUES (1, 'a'), (2, NULL), (3, 'c');
UPDATE tt SET v = upper(v) WHERE id < 3;
DELETE FROM tt WHERE id = 2;
INSERT INTO tt SELECT 9, 'z' WHERE false;
SELECT * FROM tt ORDER BY id;
SELECT peek('n'), peek('o');
-- names of the user's choice; a table without them runs the same trigger
-- without transition tables (n is the table again)
CREATE TABLE tt2 (id int4);
CREATE TRIGGER s_ins2 AFTER INSERT ON tt2 REFERENCING NEW TABLE AS o
	FOR EACH STATEMENT EXECUTE FUNCTION transitions();
CREATE TRIGGER s_plain AFTER INSERT ON tt2 FOR EACH STATEMENT EXECUTE FUNCTION transitions();
INSERT INTO tt2 VALUES (7);
SELECT peek('n'), peek('o');
RESET ROLE;

-- the README's example, as written
SET ROLE regress_trg;
CREATE TABLE orders (id int4, customer text, qty int4, price numeric(10,2));
CREATE FUNCTION orders_check() RETURNS trigger LANGUAGE tmebox AS $$
	int q = tmebox_row_find(tg->new_row, "qty");
	int c = tmebox_row_find(tg->new_row, "customer");

	if (tmebox_row_int(tg->new_row, q) <= 0)
		return NULL;				/* skip the row */
	if (tg->nargs > 0 && tmebox_row_isnull(tg->new_row, c))
		tg->new_row = tmebox_row_set_text(tg->new_row, c, tg->args[0]);
	return tg->new_row;				/* write it, changed or not */
$$;
CREATE TRIGGER orders_check BEFORE INSERT OR UPDATE ON orders
	FOR EACH ROW EXECUTE FUNCTION orders_check('walk-in');
INSERT INTO orders VALUES (1, NULL, 2, 9.99), (2, 'ann', 0, 1), (3, 'bob', 1, 5);
UPDATE orders SET qty = -1 WHERE id = 3;
SELECT * FROM orders ORDER BY id;
-- and the transition tables example
CREATE TABLE audit (n int8, qty int8);
CREATE FUNCTION audit_sum() RETURNS trigger LANGUAGE tmebox AS $$
	tmebox_sql("INSERT INTO audit SELECT count(*), sum(qty) FROM n", 0, NULL);
	return NULL;
$$;
CREATE TRIGGER audit_sum AFTER INSERT ON orders REFERENCING NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION audit_sum();
INSERT INTO orders VALUES (4, 'cy', 3, 1), (5, 'di', 4, 2);
SELECT * FROM audit;
RESET ROLE;

-- cursors over a transition table, in a new session (the tenant's 8 MB
-- hold the sandboxes of the functions above): the tables' environment
-- lives as long as the cursor's portal, which reads it again after the
-- open; fetched in batches of 2 with other statements in between, closed,
-- opened again and left open (the call's end closes it); a data-modifying
-- WITH over the new rows, whose executor starts at its first fetch; an
-- error inside a fetch (22012), handled with _try, then raised: the
-- statement is rolled back
\c -
SET ROLE regress_trg;
CREATE TABLE tc (id int4, d int4);
CREATE TABLE tc_log (id int4);
CREATE FUNCTION cursor_batches() RETURNS trigger LANGUAGE tmebox AS $$
	static char out[1024], pad[4096];
	size_t pos = 0;
	/* the new rows in the order inserted */
	tmebox_sql_plan *p = tmebox_sql_prepare("SELECT id, 12 / d FROM n", 0, NULL);
	tmebox_sql_plan *w = tmebox_sql_prepare("WITH m AS (INSERT INTO tc_log SELECT id FROM n RETURNING id) "
											"SELECT count(*), sum(id) FROM m", 0, NULL);
	tmebox_sql_cursor *c = tmebox_sql_open(p, 0, NULL);
	tmebox_sql_cursor *cw = tmebox_sql_open(w, 0, NULL);
	tmebox_sql_result *r;
	out[0] = '\0';
	/* a long statement between the opens and the fetches */
	memset(pad, ' ', sizeof pad - 1);
	memcpy(pad, "SELECT 1", 8);
	tmebox_sql_free(tmebox_sql(pad, 0, NULL));
	for (;;) {
		r = tmebox_sql_fetch_try(c, 2);
		if (!r->ok || r->nrows == 0)
			break;
		pos += snprintf(out + pos, sizeof out - pos, " [");
		for (uint32_t i = 0; i < r->nrows; i++) {
			tmebox_row *row = tmebox_sql_row(r, i);
			pos += snprintf(out + pos, sizeof out - pos, "%s%lld:%lld", i ? " " : "",
							(long long) tmebox_row_int(row, 0), (long long) tmebox_row_int(row, 1));
		}
		pos += snprintf(out + pos, sizeof out - pos, "]");
		tmebox_sql_free(r);
		tmebox_sql_free(tmebox_sql(pad, 0, NULL));
	}
	tmebox_sql_close(c);
	if (!r->ok) {
		tmebox_notice("%s:%s then %s", tg->name, out, r->sqlstate);
		tmebox_sql_raise(r);
	}
	r = tmebox_sql_fetch(cw, 10);
	tmebox_row *row = tmebox_sql_row(r, 0);
	pos += snprintf(out + pos, sizeof out - pos, " logged %lld, sum %lld",
					(long long) tmebox_row_int(row, 0), (long long) tmebox_row_int(row, 1));
	c = tmebox_sql_open(p, 0, NULL);
	r = tmebox_sql_fetch(c, 1000);
	tmebox_notice("%s:%s; again %u rows", tg->name, out, r->nrows);
	return NULL;
$$;
CREATE TRIGGER tc_cur AFTER INSERT ON tc REFERENCING NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION cursor_batches();
INSERT INTO tc SELECT i, 1 + i % 3 FROM generate_series(1, 5) i;
INSERT INTO tc VALUES (6, 3), (7, 4), (8, 0), (9, 1);
SELECT count(*), sum(id) FROM tc;
SELECT count(*), sum(id) FROM tc_log;
-- a fetch's error without _try ends the trigger (and the statement) with it
CREATE FUNCTION cursor_plain() RETURNS trigger LANGUAGE tmebox AS $$
	tmebox_sql_plan *p = tmebox_sql_prepare("SELECT id, 12 / d FROM n", 0, NULL);
	tmebox_sql_result *r = tmebox_sql_fetch(tmebox_sql_open(p, 0, NULL), 100);
	tmebox_notice("%s: %u rows", tg->name, r->nrows);
	return NULL;
$$;
DROP TRIGGER tc_cur ON tc;
CREATE TRIGGER tc_plain AFTER INSERT ON tc REFERENCING NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION cursor_plain();
INSERT INTO tc VALUES (10, 0);
INSERT INTO tc VALUES (10, 1);
SELECT count(*), sum(id) FROM tc;
RESET ROLE;

DROP OWNED BY regress_trg_other CASCADE;
DROP OWNED BY regress_trg CASCADE;
SELECT tmebox.drop_module('trg', 'trg');
SELECT tmebox.drop_tenant('trg');
SELECT tmebox.drop_tenant('trg_user');
DROP ROLE regress_trg;
DROP ROLE regress_trg_other;
DROP ROLE regress_trg_user;
