-- install: what CREATE EXTENSION tmebox creates, and that it can be redone
\pset null '(null)'

SELECT extname, extversion, extnamespace::regnamespace AS schema, extrelocatable
FROM pg_extension WHERE extname = 'tmebox';

-- every member object, all in schema tmebox
SELECT member FROM (
	SELECT pg_describe_object(classid, objid, 0) AS member
	FROM pg_depend
	WHERE refclassid = 'pg_extension'::regclass
	  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'tmebox')
	  AND deptype = 'e') AS m
ORDER BY member COLLATE "C";

-- functions and their signatures
SELECT p.oid::regprocedure AS function,
       pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result,
       p.provolatile, p.prosecdef
FROM pg_proc p
WHERE p.pronamespace = 'tmebox'::regnamespace
ORDER BY p.proname COLLATE "C";

-- pg_dump carries the tenant catalog
SELECT extconfig::regclass[] AS dumped_tables
FROM pg_extension WHERE extname = 'tmebox';

-- the management role, cluster-wide, cannot log in
SELECT rolname, rolcanlogin, rolsuper FROM pg_roles WHERE rolname = 'tmebox_admin';

-- PUBLIC reads the view, not the table, and writes neither
SELECT t.rel, p.priv, has_table_privilege('public', t.rel, p.priv) AS public_has
FROM (VALUES ('tmebox.tenant'), ('tmebox.tenants')) AS t(rel),
     (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) AS p(priv)
ORDER BY 1, 2;
SELECT has_table_privilege('tmebox_admin', 'tmebox.tenant', 'INSERT') AS admin_may_insert;

-- the catalog refuses what the functions refuse (last line of defence)
\set VERBOSITY terse
INSERT INTO tmebox.tenant (name, owner, keyid, memory_limit)
VALUES ('zero', current_user::regrole, 0, 2097152);
INSERT INTO tmebox.tenant (name, owner, keyid, memory_limit)
VALUES ('Bad', current_user::regrole, 1, 2097152);
INSERT INTO tmebox.tenant (name, owner, keyid, memory_limit)
VALUES ('small', current_user::regrole, 1, 2097151);
INSERT INTO tmebox.tenant (name, owner, keyid, memory_limit)
VALUES ('big', current_user::regrole, 1, 4294967296);
\set VERBOSITY default
SELECT count(*) FROM tmebox.tenant;

-- drop and create again: the role stays, and so does the (empty) schema,
-- which CREATE EXTENSION made because tmebox.control names it
DROP EXTENSION tmebox;
SELECT nspname, (SELECT count(*) FROM pg_class WHERE relnamespace = n.oid) AS relations
FROM pg_namespace n WHERE nspname = 'tmebox';
SELECT count(*) AS admin_roles FROM pg_roles WHERE rolname = 'tmebox_admin';
CREATE EXTENSION tmebox;
SELECT count(*) AS tenants FROM tmebox.tenants;

-- not relocatable
ALTER EXTENSION tmebox SET SCHEMA public;

-- installing into a schema somebody else prepared is refused: its owner
-- could drop or shadow the catalog
\set SHOW_CONTEXT never
DROP EXTENSION tmebox;
CREATE ROLE regress_squatter;
ALTER SCHEMA tmebox OWNER TO regress_squatter;
CREATE EXTENSION tmebox;
ALTER SCHEMA tmebox OWNER TO CURRENT_USER;
CREATE FUNCTION tmebox.create_tenant(name text) RETURNS int
LANGUAGE sql AS $$ SELECT 0 $$;
CREATE EXTENSION tmebox;
DROP FUNCTION tmebox.create_tenant(text);
DROP ROLE regress_squatter;
\set SHOW_CONTEXT errors
CREATE EXTENSION tmebox;
SELECT count(*) AS tenants FROM tmebox.tenants;
