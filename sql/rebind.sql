-- rebind: a bound function is rebuilt (catalog queries, module lookups)
-- only when something it depends on changed (issue 14 item 5): its own
-- pg_proc row, tmebox's own tables (tenants, modules), schemas and roles.
-- DDL on any other relation or function leaves it alone.  Every binding
-- shows as a DEBUG2 message "tmebox: [re]binding function".
CREATE ROLE regress_rebind;
CREATE ROLE regress_rebind_other;
SELECT tmebox.create_tenant('rebind', owner => 'regress_rebind') > 0 AS created;
SELECT tmebox.create_module('rebind', 'm', $$
int f(int x) { return x + 1; }
$$) IS NOT NULL AS created;
SET check_function_bodies = off;
CREATE FUNCTION rebind_body(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'return arg1 * 10;';
ALTER FUNCTION rebind_body(int4) OWNER TO regress_rebind;
CREATE FUNCTION rebind_mod(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'm.f';
ALTER FUNCTION rebind_mod(int4) OWNER TO regress_rebind;
RESET check_function_bodies;
CREATE FUNCTION rebind_sql(int4) RETURNS int4 LANGUAGE sql AS 'SELECT $1';

SELECT rebind_body(1);
SET client_min_messages = debug2;
SELECT rebind_body(1), rebind_mod(1);
-- bound: no binding again
SELECT rebind_body(2), rebind_mod(2);
RESET client_min_messages;

-- 1. DDL elsewhere: tables, indexes, views, another function's row
CREATE TABLE rebind_t (x int4);
ALTER TABLE rebind_t ADD COLUMN y int4;
CREATE INDEX ON rebind_t (x);
CREATE VIEW rebind_v AS SELECT x FROM rebind_t;
ALTER FUNCTION rebind_sql(int4) STABLE;
CREATE OR REPLACE FUNCTION rebind_sql(int4) RETURNS int4 LANGUAGE sql AS 'SELECT $1 + 1';
DROP VIEW rebind_v;
DROP TABLE rebind_t;
SET client_min_messages = debug2;
SELECT rebind_body(3), rebind_mod(3);
RESET client_min_messages;
-- in the same transaction too
BEGIN;
CREATE TABLE rebind_t2 (x int4);
SET LOCAL client_min_messages = debug2;
SELECT rebind_body(4), rebind_mod(4);
ROLLBACK;

-- 2. what a binding depends on rebinds it, and the change takes effect
-- its own row: CREATE OR REPLACE
CREATE OR REPLACE FUNCTION rebind_body(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'return arg1 * 100;';
SET client_min_messages = debug2;
SELECT rebind_body(5), rebind_mod(5);
RESET client_min_messages;
-- ... and rolled back
BEGIN;
CREATE OR REPLACE FUNCTION rebind_body(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'return -arg1;';
SELECT rebind_body(6);
ROLLBACK;
SET client_min_messages = debug2;
SELECT rebind_body(6);
RESET client_min_messages;
-- the module: replace_module
SELECT tmebox.replace_module('rebind', 'm', $$
int f(int x) { return x + 2; }
$$) AS exports;
SET client_min_messages = debug2;
SELECT rebind_body(7), rebind_mod(7);
RESET client_min_messages;
-- the tenant: alter_tenant
SELECT tmebox.alter_tenant('rebind', '96MB');
SET client_min_messages = debug2;
SELECT rebind_body(8), rebind_mod(8);
RESET client_min_messages;
SELECT memory_limit FROM tmebox.tenants WHERE name = 'rebind';
-- its own row: ALTER FUNCTION ... OWNER TO a role that owns no tenant
ALTER FUNCTION rebind_mod(int4) OWNER TO regress_rebind_other;
SET client_min_messages = debug2;
SELECT rebind_body(9);
SELECT rebind_mod(9);
RESET client_min_messages;
ALTER FUNCTION rebind_mod(int4) OWNER TO regress_rebind;
SELECT rebind_mod(10);


-- 3. a binding cached in a long-lived FmgrInfo follows its pg_proc row:
-- the CHECK of a domain over rebind_f's result is kept with rebind_f's
-- binding (across statements), its call of rebind_g sees rebind_g's new
-- body, owner and SET tmebox.tenant (red team s5 F2: it ran the old body).
-- The tenant and role it needs are made first: they make every binding
-- stale, so the changes below are followed through pg_proc only.
CREATE ROLE regress_rebind_none;
SELECT tmebox.create_tenant('rebind_other', owner => 'regress_rebind_other') > 0 AS created;
SET check_function_bodies = off;
CREATE FUNCTION rebind_g(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'return 111;';
ALTER FUNCTION rebind_g(int4) OWNER TO regress_rebind;
CREATE DOMAIN rebind_dd AS int4 CHECK (rebind_g(VALUE) = 111);
CREATE FUNCTION rebind_f(int4) RETURNS rebind_dd LANGUAGE tmebox STRICT AS 'return arg1;';
ALTER FUNCTION rebind_f(int4) OWNER TO regress_rebind;
RESET check_function_bodies;
SELECT rebind_f(1);
CREATE OR REPLACE FUNCTION rebind_g(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'return 333;';
SELECT rebind_f(2);
CREATE OR REPLACE FUNCTION rebind_g(int4) RETURNS int4 LANGUAGE tmebox STRICT AS 'return 111;';
SELECT rebind_f(3);
ALTER FUNCTION rebind_g(int4) OWNER TO regress_rebind_none;
SELECT rebind_f(4);
ALTER FUNCTION rebind_g(int4) OWNER TO regress_rebind;
SELECT rebind_f(5);
ALTER FUNCTION rebind_g(int4) SET tmebox.tenant = 'rebind_other';
SELECT rebind_f(6);
ALTER FUNCTION rebind_g(int4) RESET tmebox.tenant;
SELECT rebind_f(7);
DROP FUNCTION rebind_f(int4);
DROP DOMAIN rebind_dd;
DROP FUNCTION rebind_g(int4);
SELECT tmebox.drop_tenant('rebind_other');
DROP ROLE regress_rebind_none;

DROP FUNCTION rebind_body(int4), rebind_mod(int4), rebind_sql(int4);
SELECT tmebox.drop_module('rebind', 'm');
SELECT tmebox.drop_tenant('rebind');
DROP ROLE regress_rebind, regress_rebind_other;
