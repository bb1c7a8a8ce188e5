-- privileges: only superusers and tmebox_admin members manage tenants,
-- judged by the current user; nobody writes the catalog directly; the
-- catalog owner's rights never reach code the caller controls.
\pset null '(null)'

CREATE FUNCTION pg_temp.try(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	state text;
	msg text;
BEGIN
	EXECUTE query;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
	RETURN state || ': ' || msg;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;

CREATE ROLE regress_admin;
GRANT tmebox_admin TO regress_admin;
CREATE ROLE regress_noinherit NOINHERIT;
GRANT tmebox_admin TO regress_noinherit;
CREATE ROLE regress_user;
SELECT tmebox.create_tenant('existing');

--
-- An ordinary role may look but not touch
--
SET ROLE regress_user;
SELECT tmebox.create_tenant('nope');
SELECT q AS statement, pg_temp.try(q) AS result FROM (VALUES
	($$SELECT tmebox.create_tenant('nope')$$),
	($$SELECT tmebox.alter_tenant('existing', '1GB')$$),
	($$SELECT tmebox.drop_tenant('existing')$$),
	($$INSERT INTO tmebox.tenant (name, owner, keyid, memory_limit) VALUES ('nope', 'regress_user', 9, 1048576)$$),
	($$UPDATE tmebox.tenant SET memory_limit = 1048576$$),
	($$DELETE FROM tmebox.tenant$$),
	($$TRUNCATE tmebox.tenant$$),
	($$SELECT * FROM tmebox.tenant$$)
) AS t(q);
SELECT name, keyid, memory_limit FROM tmebox.tenants ORDER BY keyid;
RESET ROLE;

--
-- A tmebox_admin member manages tenants, but only through the functions
--
SET ROLE regress_admin;
SELECT tmebox.create_tenant('adm');
SELECT tmebox.alter_tenant('adm', '256MB');
SELECT name,
       CASE WHEN owner::text = session_user THEN '(session user)' ELSE owner::text END AS owner,
       keyid, memory_limit
FROM tmebox.tenants ORDER BY keyid;
SELECT tmebox.drop_tenant('adm');
SELECT q AS statement, pg_temp.try(q) AS result FROM (VALUES
	($$INSERT INTO tmebox.tenant (name, owner, keyid, memory_limit) VALUES ('nope', 'regress_admin', 9, 1048576)$$),
	($$UPDATE tmebox.tenant SET memory_limit = 1048576$$),
	($$DELETE FROM tmebox.tenant$$)
) AS t(q);
SELECT current_user;
RESET ROLE;

-- membership without inheritance needs SET ROLE first
SET ROLE regress_noinherit;
SELECT pg_temp.try($$SELECT tmebox.create_tenant('noinh')$$);
SET ROLE tmebox_admin;
SELECT pg_temp.try($$SELECT tmebox.create_tenant('noinh')$$);
RESET ROLE;

--
-- The check looks at the current user: a SECURITY DEFINER function owned
-- by an admin lets an ordinary role create tenants through it, and an
-- ordinary role's function does not become privileged when an admin runs it
--
CREATE SCHEMA regress_adm AUTHORIZATION regress_admin;
SET ROLE regress_admin;
CREATE FUNCTION regress_adm.make_tenant(n text) RETURNS int
LANGUAGE sql SECURITY DEFINER AS $$ SELECT tmebox.create_tenant(n) $$;
GRANT USAGE ON SCHEMA regress_adm TO regress_user;
GRANT EXECUTE ON FUNCTION regress_adm.make_tenant(text) TO regress_user;
RESET ROLE;
SET ROLE regress_user;
SELECT regress_adm.make_tenant('via_definer');
SELECT owner FROM tmebox.tenants WHERE name = 'via_definer';
RESET ROLE;
CREATE SCHEMA regress_usr AUTHORIZATION regress_user;
SET ROLE regress_user;
CREATE FUNCTION regress_usr.make_tenant(n text) RETURNS int
LANGUAGE sql SECURITY DEFINER AS $$ SELECT tmebox.create_tenant(n) $$;
GRANT USAGE ON SCHEMA regress_usr TO regress_admin;
RESET ROLE;
SET ROLE regress_admin;
SELECT pg_temp.try($$SELECT regress_usr.make_tenant('via_user')$$);
RESET ROLE;

--
-- Search-path hijacking: an admin puts its own = and + operators first in
-- search_path; they must not run with the catalog owner's rights (or at all)
--
CREATE SCHEMA regress_evil AUTHORIZATION regress_admin;
SET ROLE regress_admin;
CREATE TABLE regress_evil.log (who name, op text);
CREATE FUNCTION regress_evil.int_eq(int4, int4) RETURNS bool
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO regress_evil.log VALUES (current_user, 'int4 =');
	RETURN $1 OPERATOR(pg_catalog.=) $2;
END $$;
CREATE FUNCTION regress_evil.int_add(int4, int4) RETURNS int4
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO regress_evil.log VALUES (current_user, 'int4 +');
	RETURN $1 OPERATOR(pg_catalog.+) $2;
END $$;
CREATE FUNCTION regress_evil.text_eq(text, text) RETURNS bool
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO regress_evil.log VALUES (current_user, 'text =');
	RETURN $1 OPERATOR(pg_catalog.=) $2;
END $$;
CREATE OPERATOR regress_evil.= (LEFTARG = int4, RIGHTARG = int4, FUNCTION = regress_evil.int_eq);
CREATE OPERATOR regress_evil.+ (LEFTARG = int4, RIGHTARG = int4, FUNCTION = regress_evil.int_add);
CREATE OPERATOR regress_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = regress_evil.text_eq);
SET search_path = regress_evil, pg_catalog;
-- the trap works for the caller's own queries...
SELECT 1 = 1 AS trap_armed;
SELECT who, op FROM regress_evil.log;
DELETE FROM regress_evil.log;
-- ...but not inside the management functions
SELECT tmebox.create_tenant('hijack');
SELECT tmebox.alter_tenant('hijack', '2MB');
SELECT tmebox.drop_tenant('hijack');
SELECT count(*) AS evil_calls FROM regress_evil.log;
RESET search_path;
RESET ROLE;

-- clean up
SELECT tmebox.drop_tenant(name) FROM tmebox.tenants ORDER BY name;
DROP SCHEMA regress_evil CASCADE;
DROP SCHEMA regress_adm CASCADE;
DROP SCHEMA regress_usr CASCADE;
DROP ROLE regress_admin;
DROP ROLE regress_noinherit;
DROP ROLE regress_user;
