/*-------------------------------------------------------------------------
 *
 * extension/sql/tmebox--0.1--0.2.sql
 *		Update of the tmebox catalog from 0.1 to 0.2 (ALTER EXTENSION
 *		tmebox UPDATE), run after `make install` of the 0.2 library.
 *
 * What 0.2 adds:
 *	- Each tenant has a stable id (tmebox.tenant.id, an identity column
 *	  whose sequence pg_dump carries): with its creation time, its identity
 *	  in a session's cache.
 *	- Each tenant has a schema of its name owned by its owner
 *	  (extension/pg/tpg_schema.c): column tmebox.tenant.nsp, view
 *	  tmebox.tenant_owner, and a schema for every existing tenant, made as
 *	  create_tenant makes it (an existing schema of the tenant's name is
 *	  adopted if the tenant's owner owns it; one of another role fails the
 *	  update with create_tenant's error and hint).
 *	- The compile cache tmebox.compiled_object (not dumped).
 *	- No foreign keys from tmebox.module and tmebox.body_object to
 *	  tmebox.tenant (pg_restore -j).
 *	- drop_module and replace_module take cascade boolean DEFAULT false:
 *	  the new declarations replace the old ones, with the old ones'
 *	  privileges.
 *	- tmebox.tenants reports the owner through tmebox.tenant_owner.
 *	- tmebox.tenant.owner is a tmebox.role_ref (extension/pg/tpg_role.c),
 *	  not a regrole: a restore into a cluster without a tenant's owner
 *	  role keeps every tenant (that one owner-less, with a WARNING from the
 *	  trigger tenant_owner_missing).  tmebox.tenants, which uses the
 *	  column, is dropped and made again (a view of the DBA's on it makes
 *	  the update fail with 2BP01: drop it first).
 *
 * Invariants kept here:
 *	- After the update every object of extension/sql/tmebox.sql (0.2)
 *	  exists with the same definition, comment and privileges as after
 *	  CREATE EXTENSION tmebox of 0.2 (extension/scripts/test-upgrade.sh
 *	  compares the two catalogs); definitions are copied verbatim.
 *	- Tenants, modules, compiled bodies and LANGUAGE tmebox functions are
 *	  kept: nothing is dropped that holds data.
 *
 *-------------------------------------------------------------------------
 */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION tmebox UPDATE TO '0.2'" to load this file. \quit

-- Tenant schemas and the tenant's stable id: the columns and the view of
-- extension/sql/tmebox.sql (existing tenants get ids 1, 2, ...).
ALTER TABLE tmebox.tenant
	ADD COLUMN nsp oid,
	ADD COLUMN id int8 NOT NULL UNIQUE
		GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME tmebox.tenant_id_seq);
SELECT pg_catalog.pg_extension_config_dump('tmebox.tenant_id_seq', '');

-- The owner column's type (extension/sql/tmebox.sql); the view on the
-- column goes first and is made again below.
DROP VIEW tmebox.tenants;

-- The type of tmebox.tenant.owner (extension/pg/tpg_role.c): a role's
-- OID, written as the role's name like regrole; a name of no role reads
-- as no role ("-", InvalidOid) with a WARNING instead of an error, so a
-- restore into a cluster without a tenant's owner role keeps every tenant
-- (that one owner-less).  Never read from a number: a dump binds no tenant
-- to whatever role has the old OID on the target.
CREATE TYPE tmebox.role_ref;
CREATE FUNCTION tmebox.role_ref_in(cstring)
RETURNS tmebox.role_ref
AS 'MODULE_PATHNAME', 'tmebox_role_ref_in'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tmebox.role_ref_out(tmebox.role_ref)
RETURNS cstring
AS 'MODULE_PATHNAME', 'tmebox_role_ref_out'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tmebox.role_ref_recv(internal)
RETURNS tmebox.role_ref
AS 'MODULE_PATHNAME', 'tmebox_role_ref_recv'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tmebox.role_ref_send(tmebox.role_ref)
RETURNS bytea
AS 'MODULE_PATHNAME', 'tmebox_role_ref_send'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE TYPE tmebox.role_ref (
	INPUT = tmebox.role_ref_in,
	OUTPUT = tmebox.role_ref_out,
	RECEIVE = tmebox.role_ref_recv,
	SEND = tmebox.role_ref_send,
	LIKE = pg_catalog.oid
);
COMMENT ON TYPE tmebox.role_ref IS
	'a role by OID, written as its name; a name of no role reads as "-" (no role) with a WARNING';
CREATE CAST (tmebox.role_ref AS pg_catalog.oid) WITHOUT FUNCTION AS IMPLICIT;
CREATE CAST (pg_catalog.oid AS tmebox.role_ref) WITHOUT FUNCTION AS ASSIGNMENT;
CREATE CAST (pg_catalog.regrole AS tmebox.role_ref) WITHOUT FUNCTION AS ASSIGNMENT;

ALTER TABLE tmebox.tenant
	ALTER COLUMN owner TYPE tmebox.role_ref USING owner::pg_catalog.oid;

-- A WARNING naming each tenant loaded without an owner (a restore).
CREATE FUNCTION tmebox.tenant_owner_missing()
RETURNS trigger
AS 'MODULE_PATHNAME', 'tmebox_tenant_owner_missing'
LANGUAGE C;
CREATE TRIGGER tenant_owner_missing BEFORE INSERT ON tmebox.tenant
	FOR EACH ROW EXECUTE FUNCTION tmebox.tenant_owner_missing();
-- Every row's KeyID recorded in the cluster's KeyID registry
-- (extension/pg/tpg_keyreg.c): a restored tenant whose KeyID another
-- database holds gets a free one, with a WARNING.
CREATE FUNCTION tmebox.tenant_keyid()
RETURNS trigger
AS 'MODULE_PATHNAME', 'tmebox_tenant_keyid'
LANGUAGE C;
CREATE TRIGGER tenant_keyid BEFORE INSERT ON tmebox.tenant
	FOR EACH ROW EXECUTE FUNCTION tmebox.tenant_keyid();

CREATE VIEW tmebox.tenant_owner AS
	WITH recorded AS (
		SELECT d.objid AS oid FROM pg_catalog.pg_depend d
		WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
		  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
		  AND d.refobjid OPERATOR(pg_catalog.=)
			  (SELECT e.oid FROM pg_catalog.pg_extension e
			   WHERE e.extname OPERATOR(pg_catalog.=) 'tmebox')
		  AND d.deptype OPERATOR(pg_catalog.=) 'n')
	SELECT t.name,
		   CASE WHEN s.oid IS NOT NULL THEN s.nspowner
				WHEN NOT EXISTS (SELECT FROM pg_catalog.pg_namespace n
								 WHERE n.nspname OPERATOR(pg_catalog.=) t.name)
				 AND t.owner::pg_catalog.oid OPERATOR(pg_catalog.<>) 0::pg_catalog.oid
				THEN t.owner::pg_catalog.oid
		   END::pg_catalog.regrole AS owner,
		   s.oid AS nsp
	FROM tmebox.tenant t
	LEFT JOIN pg_catalog.pg_namespace s ON s.oid OPERATOR(pg_catalog.=)
		CASE WHEN t.nsp IN (SELECT r.oid FROM recorded r) THEN t.nsp
			 ELSE (SELECT n.oid FROM pg_catalog.pg_namespace n
				   WHERE n.nspname OPERATOR(pg_catalog.=) t.name
					 AND n.nspowner OPERATOR(pg_catalog.=) t.owner::pg_catalog.oid
					 AND NOT (n.oid IN (SELECT r.oid FROM recorded r)
							  AND n.oid IN (SELECT u.nsp FROM tmebox.tenant u)))
		END;
REVOKE ALL ON tmebox.tenant_owner FROM PUBLIC;

CREATE VIEW tmebox.tenants AS
	SELECT t.name, o.owner, t.keyid, t.memory_limit, t.created_at,
		   COALESCE(u.calls, 0) AS calls, COALESCE(u.faults, 0) AS faults,
		   COALESCE(u.resident_bytes, 0) AS resident_bytes
	FROM tmebox.tenant t
	JOIN tmebox.tenant_owner o ON o.name = t.name
	LEFT JOIN tmebox.tenant_usage() u ON u.tenant = t.name;
COMMENT ON VIEW tmebox.tenants IS
	'tmebox tenants: name, owner, KeyID, memory limit in bytes, creation time; calls, faults and resident sandbox bytes in this session';
GRANT SELECT ON tmebox.tenants TO PUBLIC;

-- Every existing tenant gets its schema (and tenant.nsp), as
-- create_tenant makes it; the function exists only for this call.
CREATE FUNCTION tmebox.create_tenant_schemas()
RETURNS void
AS 'MODULE_PATHNAME', 'tmebox_create_tenant_schemas'
LANGUAGE C VOLATILE;
SELECT tmebox.create_tenant_schemas();
DROP FUNCTION tmebox.create_tenant_schemas();

-- No foreign keys between the configuration tables: pg_restore -j loads
-- their data in parallel, in no order a foreign key could rely on
-- (pg_dump records no dependency between them); drop_tenant keeps them
-- consistent (extension/pg/tpg_tenant.c).
ALTER TABLE tmebox.module DROP CONSTRAINT module_tenant_fkey;
ALTER TABLE tmebox.body_object DROP CONSTRAINT body_object_tenant_fkey;

-- The compile cache.
CREATE TABLE tmebox.compiled_object (
	cache_key	text COLLATE "C" PRIMARY KEY,
	object		bytea NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE tmebox.compiled_object IS
	'compile cache: objects tmebox-cc produced, by compiler build, options and source; may be emptied at any time';
REVOKE ALL ON tmebox.compiled_object FROM PUBLIC;

-- drop_module and replace_module with cascade.  The new declarations are
-- created next to the old ones, get their privileges (GRANTs and REVOKEs
-- a DBA made on 0.1), and the old ones go.
CREATE FUNCTION tmebox.replace_module(tenant text, name text, source text,
									  cascade boolean DEFAULT false)
RETURNS text[]
AS 'MODULE_PATHNAME', 'tmebox_replace_module'
LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION tmebox.replace_module(text, text, text, boolean) IS
	'recompile a module from new source; returns the exported C declarations (cascade: drop the functions bound to exports that vanish or change)';

CREATE FUNCTION tmebox.drop_module(tenant text, name text,
								   cascade boolean DEFAULT false)
RETURNS void
AS 'MODULE_PATHNAME', 'tmebox_drop_module'
LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION tmebox.drop_module(text, text, boolean) IS
	'drop a module of a tenant (cascade: and the functions bound to it)';

DO $$
DECLARE
	f record;
	g record;
BEGIN
	FOR f IN SELECT n.oid AS new, n.proowner, o.proacl
			 FROM (VALUES ('tmebox.replace_module(text,text,text)'::pg_catalog.regprocedure,
						   'tmebox.replace_module(text,text,text,boolean)'::pg_catalog.regprocedure),
						  ('tmebox.drop_module(text,text)'::pg_catalog.regprocedure,
						   'tmebox.drop_module(text,text,boolean)'::pg_catalog.regprocedure)) v(o, n)
			 JOIN pg_catalog.pg_proc o ON o.oid OPERATOR(pg_catalog.=) v.o
			 JOIN pg_catalog.pg_proc n ON n.oid OPERATOR(pg_catalog.=) v.n
			 WHERE o.proacl IS NOT NULL
	LOOP
		-- start from no privileges at all, then grant what the old had
		EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, %s',
								  f.new::pg_catalog.regprocedure,
								  f.proowner::pg_catalog.regrole);
		FOR g IN SELECT a.grantee, a.is_grantable
				 FROM pg_catalog.aclexplode(f.proacl) a
				 WHERE a.privilege_type OPERATOR(pg_catalog.=) 'EXECUTE'
		LOOP
			EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO %s%s',
									  f.new::pg_catalog.regprocedure,
									  CASE WHEN g.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
										   ELSE g.grantee::pg_catalog.regrole::pg_catalog.text END,
									  CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
		END LOOP;
	END LOOP;
END
$$;

DROP FUNCTION tmebox.replace_module(text, text, text);
DROP FUNCTION tmebox.drop_module(text, text);
