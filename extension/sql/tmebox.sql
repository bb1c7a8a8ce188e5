/*-------------------------------------------------------------------------
 *
 * extension/sql/tmebox.sql
 *		Install script of the current version of the tmebox extension
 *		(copied to tmebox--$(EXTVERSION).sql at build time, Makefile).  A
 *		change here needs the same change in the update script from the
 *		previous version (tmebox--0.1--0.2.sql, or a new one after a
 *		release): extension/scripts/test-upgrade.sh compares the two.
 *
 * Invariants kept here:
 *	- The catalog tables belong to whoever runs CREATE EXTENSION (a
 *	  superuser) and are not writable by anyone else: only the C
 *	  management functions change them, after their own privilege check
 *	  (extension/pg/tpg_admin.c).
 *	- Catalog tables are registered with pg_extension_config_dump, so
 *	  pg_dump carries tenants.
 *	- Role tmebox_admin is cluster-wide: it is created only if missing and
 *	  survives DROP EXTENSION.
 *	- The schema (created by CREATE EXTENSION from tmebox.control, and left
 *	  behind by DROP EXTENSION) must be owned by a superuser and hold no
 *	  objects when the script starts: a schema's owner can drop or shadow
 *	  the objects in it, so a prepared schema could subvert the catalog.
 *	- The CHECK constraints repeat the rules of extension/pg/tpg_check.c;
 *	  the C code reports violations first, with proper messages.
 *
 *-------------------------------------------------------------------------
 */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION tmebox" to load this file. \quit

DO $$
DECLARE
	nsp oid := 'tmebox'::regnamespace;
BEGIN
	IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_namespace n
			JOIN pg_catalog.pg_roles r ON r.oid = n.nspowner
			WHERE n.oid = nsp) THEN
		RAISE EXCEPTION 'schema "tmebox" is not owned by a superuser'
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Drop the schema, or give it to a superuser, before CREATE EXTENSION tmebox.';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE relnamespace = nsp
			   UNION ALL
			   SELECT 1 FROM pg_catalog.pg_proc WHERE pronamespace = nsp
			   UNION ALL
			   SELECT 1 FROM pg_catalog.pg_type WHERE typnamespace = nsp
			   UNION ALL
			   SELECT 1 FROM pg_catalog.pg_operator WHERE oprnamespace = nsp) THEN
		RAISE EXCEPTION 'schema "tmebox" already contains objects'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Drop the schema, or empty it, before CREATE EXTENSION tmebox.';
	END IF;
END
$$;

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles
				   WHERE rolname = 'tmebox_admin') THEN
		CREATE ROLE tmebox_admin NOLOGIN;
	END IF;
EXCEPTION
	-- another database's CREATE EXTENSION created it meanwhile
	WHEN duplicate_object THEN
		NULL;
END
$$;

GRANT USAGE ON SCHEMA tmebox TO PUBLIC;

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

CREATE TABLE tmebox.tenant (
	name		text COLLATE "C" PRIMARY KEY
				CHECK (name ~ '^[a-z_][a-z0-9_]{0,62}$'),
	owner		tmebox.role_ref NOT NULL,
	keyid		int4 NOT NULL UNIQUE CHECK (keyid BETWEEN 1 AND 32767),
	memory_limit int8 NOT NULL
				CHECK (memory_limit BETWEEN 2097152 AND 3221225472),
	-- with id, the tenant's identity in a session's cache: a tenant
	-- dropped and created again (even in one transaction) is another one
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	-- the tenant's schema (named like the tenant, owned by its owner) as
	-- create_tenant or alter_tenant last saw it; stale after a restore
	nsp			oid,
	-- never reused (names and KeyIDs are); pg_dump carries it and the
	-- sequence (extension/pl/pl_cache.c)
	id			int8 NOT NULL UNIQUE
				GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME tmebox.tenant_id_seq)
);
COMMENT ON TABLE tmebox.tenant IS
	'tmebox tenants; change only through tmebox.create_tenant, alter_tenant and drop_tenant';
REVOKE ALL ON tmebox.tenant FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('tmebox.tenant', '');
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

-- Which schema is a tenant's (nsp) and who owns the tenant now (owner):
-- the one rule, which extension/pg/tpg_schema.c and tpg_catalog.c read from
-- here.  The tenant's schema is the one whose OID create_tenant or
-- alter_tenant recorded (tenant.nsp), whatever its name now, while it is a
-- schema tmebox recorded (`recorded`: tpg_schema.c's dependency of the
-- schema on the extension, which pg_dump does not carry; after a restore
-- the OID is stale and may be any schema's).  Only without it: the schema
-- of the tenant's name if the recorded owner owns it and it is no other
-- tenant's.  The owner is that schema's owner, which PostgreSQL tracks
-- (DROP ROLE refuses to drop it, REASSIGN OWNED and ALTER SCHEMA ... OWNER
-- TO move it); with no schema and none of the tenant's name, the recorded
-- owner; else nobody (NULL): a schema of the tenant's name owned by
-- another role never makes that role the tenant's owner, and a recorded
-- owner of no role ("-": missing at a restore, tpg_role.c) owns nothing.
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


CREATE FUNCTION tmebox.create_tenant(name text,
									 owner regrole DEFAULT NULL,
									 memory_limit text DEFAULT '64MB')
RETURNS int4
AS 'MODULE_PATHNAME', 'tmebox_create_tenant'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION tmebox.create_tenant(text, regrole, text) IS
	'create a tenant and return its KeyID (superusers and tmebox_admin only)';

CREATE FUNCTION tmebox.alter_tenant(name text,
									memory_limit text DEFAULT NULL,
									owner regrole DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 'tmebox_alter_tenant'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION tmebox.alter_tenant(text, text, regrole) IS
	'change a tenant''s memory limit and/or owner (superusers and tmebox_admin only)';

CREATE FUNCTION tmebox.drop_tenant(name text)
RETURNS void
AS 'MODULE_PATHNAME', 'tmebox_drop_tenant'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION tmebox.drop_tenant(text) IS
	'drop a tenant and free its KeyID (superusers and tmebox_admin only)';

CREATE FUNCTION tmebox.backend(OUT backend text, OUT reason text)
RETURNS record
AS 'MODULE_PATHNAME', 'tmebox_backend'
LANGUAGE C STABLE;
COMMENT ON FUNCTION tmebox.backend() IS
	'KeyID backend in use (emulated or tme-mk) and why';

CREATE FUNCTION tmebox.max_keyid()
RETURNS int4
AS 'MODULE_PATHNAME', 'tmebox_max_keyid'
LANGUAGE C STABLE;
COMMENT ON FUNCTION tmebox.max_keyid() IS
	'highest KeyID a tenant may get (backend maximum, lowered by tmebox.max_keyids)';

-- ---------------------------------------------------------------------
-- The trusted language tmebox (extension/pl): modules, compiled bodies,
-- the language itself and the observability views.
-- ---------------------------------------------------------------------

-- No foreign keys between the configuration tables: pg_restore -j loads
-- their data in parallel, in no order a foreign key could rely on
-- (pg_dump records no dependency between them); drop_tenant keeps them
-- consistent (extension/pg/tpg_tenant.c).
CREATE TABLE tmebox.module (
	tenant		text COLLATE "C" NOT NULL,
	name		text COLLATE "C" NOT NULL
				CHECK (name ~ '^[a-z_][a-z0-9_]{0,62}$'),
	source		text NOT NULL,
	object		bytea NOT NULL,		-- module file written by tmebox-cc
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant, name)
);
COMMENT ON TABLE tmebox.module IS
	'tmebox modules: C source and the sandboxed object compiled from it; change only through tmebox.create_module, replace_module and drop_module';
REVOKE ALL ON tmebox.module FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('tmebox.module', '');

CREATE TABLE tmebox.body_object (
	tenant		text COLLATE "C" NOT NULL,
	source_hash	text COLLATE "C" NOT NULL,	-- SHA-256 of the generated C source
	object		bytea NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant, source_hash)
);
COMMENT ON TABLE tmebox.body_object IS
	'objects compiled from the C bodies of LANGUAGE tmebox functions, by source hash';
REVOKE ALL ON tmebox.body_object FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('tmebox.body_object', '');
-- the sequence of tmebox.tenant.id, so that a restored database goes on
-- from the restored ids (registered last, like the update from 0.1 does)
SELECT pg_catalog.pg_extension_config_dump('tmebox.tenant_id_seq', '');

-- Compile once: objects shared by every tenant, keyed by the SHA-256 of
-- the compiler build, the compile options and the source (pg/tpg_objcache.c).
-- A cache, so not dumped: a restored database fills it again.
CREATE TABLE tmebox.compiled_object (
	cache_key	text COLLATE "C" PRIMARY KEY,
	object		bytea NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE tmebox.compiled_object IS
	'compile cache: objects tmebox-cc produced, by compiler build, options and source; may be emptied at any time';
REVOKE ALL ON tmebox.compiled_object FROM PUBLIC;

CREATE FUNCTION tmebox.create_module(tenant text, name text, source text)
RETURNS text[]
AS 'MODULE_PATHNAME', 'tmebox_create_module'
LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION tmebox.create_module(text, text, text) IS
	'compile C source into a module of a tenant; returns the exported C declarations';

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

CREATE FUNCTION tmebox.module_exports(object bytea)
RETURNS text[]
AS 'MODULE_PATHNAME', 'tmebox_module_exports'
LANGUAGE C STRICT IMMUTABLE;

CREATE VIEW tmebox.modules AS
	SELECT tenant, name, tmebox.module_exports(object) AS exports,
		   pg_catalog.octet_length(object) AS compiled_size, created_at
	FROM tmebox.module;
COMMENT ON VIEW tmebox.modules IS
	'tmebox modules: tenant, name, exported C functions, compiled size in bytes, creation time';
GRANT SELECT ON tmebox.modules TO PUBLIC;

CREATE FUNCTION tmebox.resident_instances(OUT tenant text, OUT module text,
										  OUT keyid int4, OUT committed_bytes int8,
										  OUT calls int8, OUT faults int8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'tmebox_instances'
LANGUAGE C VOLATILE;

CREATE VIEW tmebox.instances AS
	SELECT * FROM tmebox.resident_instances();
COMMENT ON VIEW tmebox.instances IS
	'sandbox instances resident in this session: tenant, module (#hash for function bodies), KeyID, committed bytes, calls, faults';
GRANT SELECT ON tmebox.instances TO PUBLIC;

CREATE FUNCTION tmebox.tenant_usage(OUT tenant text, OUT calls int8,
									OUT faults int8, OUT resident_bytes int8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'tmebox_tenant_usage'
LANGUAGE C VOLATILE;

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

CREATE FUNCTION tmebox.tmebox_call_handler()
RETURNS language_handler
AS 'MODULE_PATHNAME'
LANGUAGE C;

CREATE FUNCTION tmebox.tmebox_inline_handler(internal)
RETURNS void
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FUNCTION tmebox.tmebox_validator(oid)
RETURNS void
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE TRUSTED LANGUAGE tmebox
	HANDLER tmebox.tmebox_call_handler
	INLINE tmebox.tmebox_inline_handler
	VALIDATOR tmebox.tmebox_validator;
COMMENT ON LANGUAGE tmebox IS
	'C functions sandboxed by tmebox (TME-Box): any role with USAGE may create them; they run in the tenant their owner owns';
REVOKE USAGE ON LANGUAGE tmebox FROM PUBLIC;
GRANT USAGE ON LANGUAGE tmebox TO tmebox_admin WITH GRANT OPTION;
