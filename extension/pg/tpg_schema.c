/*-------------------------------------------------------------------------
 *
 * tpg_schema.c
 *		Each tenant has a schema of its name, owned by its owner: a real
 *		PostgreSQL object, so PostgreSQL's own ownership tracking applies
 *		to tenants.  DROP ROLE of a tenant's owner is refused ("owner of
 *		schema ..."), REASSIGN OWNED hands the schema, and with it the
 *		tenant, to the new role, and the owner role has a place to create
 *		its functions in ($user in the default search_path when the tenant
 *		is named like the role).
 *
 * Invariants kept here:
 *	- The tenant's owner is read through the view tmebox.tenant_owner
 *	  (extension/sql/tmebox.sql): the owner of the tenant's schema when
 *	  that schema is the one recorded in tmebox.tenant.nsp, or (after a
 *	  restore, where OIDs change) is still owned by the recorded owner.
 *	  A schema of the tenant's name that is neither never makes its owner
 *	  the tenant's owner.  tpg_schema_is_tenants repeats that rule.
 *	- create_tenant never takes over a schema of another role: an
 *	  existing schema of the tenant's name is adopted only when the new
 *	  owner already owns it.
 *	- The schema depends (DEPENDENCY_NORMAL) on the extension, so DROP
 *	  EXTENSION tmebox is refused while tenants exist and DROP EXTENSION
 *	  ... CASCADE removes their schemas: nothing is left for a new CREATE
 *	  EXTENSION and create_tenant to trip on.
 *	- drop_tenant drops the schema RESTRICT: objects in it (functions,
 *	  tables) make drop_tenant fail with PostgreSQL's own 2BP01.
 *	- A tenant's schema is never a member of an extension, even when
 *	  created from an extension script (the update from 0.1, or another
 *	  extension calling create_tenant): only its normal dependency on
 *	  tmebox is kept.
 *	- On the 0.1 catalog (tpg_compat.c: a new library before ALTER
 *	  EXTENSION tmebox UPDATE) tenants have no schema and nothing here
 *	  does anything; the update gives every tenant its schema as
 *	  create_tenant does (tmebox_create_tenant_schemas).
 *	- Runs inside the SPI bodies of tpg_tenant.c, as the catalog owner
 *	  (a superuser) with search_path pg_catalog; names are quoted with
 *	  quote_identifier, never spliced raw.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/syscache.h"

#include "tpg_admin.h"
#include "tpg_carrier.h"
#include "tpg_compat.h"
#include "tpg_schema.h"

/* Run a fixed statement with parameters; elog on an unexpected result. */
static void
tpg_schema_spi(const char *sql, int nargs, Oid *types, Datum *values, int expect)
{
	int			rc = SPI_execute_with_args(sql, nargs, types, values, NULL,
										   false, 0);

	if (rc != expect)
		elog(ERROR, "SPI_execute_with_args failed: %s (%s)",
			 SPI_result_code_string(rc), sql);
}

static void
tpg_schema_utility(const char *sql)
{
	int			rc = SPI_execute(sql, false, 0);

	if (rc != SPI_OK_UTILITY)
		elog(ERROR, "SPI_execute failed: %s (%s)", SPI_result_code_string(rc), sql);
}

static Oid
tpg_schema_owner(Oid nsp)
{
	HeapTuple	tup = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nsp));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for schema %u", nsp);
	owner = ((Form_pg_namespace) GETSTRUCT(tup))->nspowner;
	ReleaseSysCache(tup);
	return owner;
}

/*
 * The schema of the tenant's name, if it is the tenant's (the rule of
 * tmebox.tenant_owner), else InvalidOid; *other is set when a schema of
 * that name exists but is not the tenant's.  False if there is no tenant
 * of that name.
 */
static bool
tpg_schema_is_tenants(const char *tenant, Oid *nsp, bool *other)
{
	Oid			types[1] = {TEXTOID};
	Datum		values[1];
	bool		isnull;
	bool		ours;
	Datum		d;

	*nsp = InvalidOid;
	*other = false;
	values[0] = CStringGetTextDatum(tenant);
	tpg_schema_spi("SELECT n.oid, COALESCE(n.oid OPERATOR(pg_catalog.=) t.nsp, false)"
				   "  OR n.nspowner OPERATOR(pg_catalog.=) t.owner::pg_catalog.oid"
				   " FROM tmebox.tenant t"
				   " LEFT JOIN pg_catalog.pg_namespace n ON n.nspname OPERATOR(pg_catalog.=) t.name"
				   " WHERE t.name OPERATOR(pg_catalog.=) $1",
				   1, types, values, SPI_OK_SELECT);
	if (SPI_processed == 0)
		return false;
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		return true;			/* no schema of that name */
	ours = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
									  SPI_tuptable->tupdesc, 2, &isnull));
	if (ours)
		*nsp = DatumGetObjectId(d);
	else
		*other = true;
	return true;
}

/*
 * Record NSP as the tenant's schema: in tmebox.tenant.nsp, and as a
 * dependency of the schema on the extension (once).
 */
static void
tpg_schema_record(const char *tenant, Oid nsp)
{
	Oid			ext = get_extension_oid("tmebox", false);
	Oid			types[2] = {TEXTOID, OIDOID};
	Datum		values[2];

	values[0] = CStringGetTextDatum(tenant);
	values[1] = ObjectIdGetDatum(nsp);
	tpg_schema_spi("UPDATE tmebox.tenant SET nsp = $2 WHERE name OPERATOR(pg_catalog.=) $1",
				   2, types, values, SPI_OK_UPDATE);

	types[0] = OIDOID;
	values[0] = ObjectIdGetDatum(nsp);
	values[1] = ObjectIdGetDatum(ext);
	tpg_schema_spi("SELECT 1 FROM pg_catalog.pg_depend"
				   " WHERE classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass"
				   "   AND objid OPERATOR(pg_catalog.=) $1"
				   "   AND refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass"
				   "   AND refobjid OPERATOR(pg_catalog.=) $2",
				   2, types, values, SPI_OK_SELECT);
	if (SPI_processed == 0)
	{
		ObjectAddress schema;
		ObjectAddress extension;

		ObjectAddressSet(schema, NamespaceRelationId, nsp);
		ObjectAddressSet(extension, ExtensionRelationId, ext);
		recordDependencyOn(&schema, &extension, DEPENDENCY_NORMAL);
	}
}

/*
 * CREATE SCHEMA tenant AUTHORIZATION owner; its OID.  Inside an extension
 * script CREATE SCHEMA makes the schema a member of the extension being
 * created or updated: that membership is removed again.
 */
static Oid
tpg_schema_make(const char *tenant, Oid owner)
{
	Oid			nsp;

	tpg_schema_utility(psprintf("CREATE SCHEMA %s AUTHORIZATION %s",
								quote_identifier(tenant),
								quote_identifier(GetUserNameFromId(owner, false))));
	nsp = get_namespace_oid(tenant, false);
	if (creating_extension)
	{
		deleteDependencyRecordsForClass(NamespaceRelationId, nsp,
										ExtensionRelationId, DEPENDENCY_EXTENSION);
		CommandCounterIncrement();
	}
	return nsp;
}

static void
tpg_schema_refuse(const char *tenant, Oid nsp)
{
	ereport(ERROR,
			(errcode(ERRCODE_DUPLICATE_SCHEMA),
			 errmsg("schema \"%s\" already exists", tenant),
			 errdetail("Each tenant has a schema of its name owned by the tenant's owner; this one is owned by role \"%s\".",
					   GetUserNameFromId(tpg_schema_owner(nsp), false)),
			 errhint("Rename or drop the schema, or give it to the tenant's owner first.")));
}

void
tpg_schema_create(const char *tenant, Oid owner)
{
	Oid			nsp;

	if (tpg_catalog_is_0_1())
		return;
	nsp = get_namespace_oid(tenant, true);
	if (!OidIsValid(nsp))
		nsp = tpg_schema_make(tenant, owner);
	else if (tpg_schema_owner(nsp) != owner)
		tpg_schema_refuse(tenant, nsp);
	tpg_schema_record(tenant, nsp);
}

/*
 * Before the tenant's row changes owner (a missing tenant is left to the
 * caller to report).  A missing schema is created again.
 */
void
tpg_schema_set_owner(const char *tenant, Oid owner)
{
	bool		other;
	Oid			nsp;

	if (tpg_catalog_is_0_1() || !tpg_schema_is_tenants(tenant, &nsp, &other))
		return;
	if (other)
		tpg_schema_refuse(tenant, get_namespace_oid(tenant, false));
	if (!OidIsValid(nsp))
		nsp = tpg_schema_make(tenant, owner);
	else if (tpg_schema_owner(nsp) != owner)
		tpg_schema_utility(psprintf("ALTER SCHEMA %s OWNER TO %s",
									quote_identifier(tenant),
									quote_identifier(GetUserNameFromId(owner, false))));
	tpg_schema_record(tenant, nsp);
}

/* The tenant's own schema (the rule of tmebox.tenant_owner), or InvalidOid. */
Oid
tpg_schema_of_tenant(const char *tenant)
{
	bool		other;
	Oid			nsp;

	if (tpg_catalog_is_0_1() || !tpg_schema_is_tenants(tenant, &nsp, &other))
		return InvalidOid;
	return nsp;
}

/* Before the tenant's row is deleted. */
void
tpg_schema_drop(const char *tenant)
{
	bool		other;
	Oid			nsp;

	if (!tpg_catalog_is_0_1() && tpg_schema_is_tenants(tenant, &nsp, &other) &&
		OidIsValid(nsp))
		tpg_schema_utility(psprintf("DROP SCHEMA %s RESTRICT", quote_identifier(tenant)));
}

/* Every tenant's schema, as create_tenant makes it (runs as tpg_admin_run). */
static void
tpg_schema_create_all_body(void *arg)
{
	int			n;
	int			i;
	char	  **names;
	Oid		   *owners;

	tpg_schema_spi("SELECT name::pg_catalog.text, owner::pg_catalog.oid FROM tmebox.tenant"
				   " ORDER BY name",
				   0, NULL, NULL, SPI_OK_SELECT);
	n = (int) SPI_processed;
	names = palloc(sizeof(char *) * Max(n, 1));
	owners = palloc(sizeof(Oid) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		bool		isnull;

		names[i] = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[i],
													 SPI_tuptable->tupdesc, 1, &isnull));
		owners[i] = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
												   SPI_tuptable->tupdesc, 2, &isnull));
	}
	for (i = 0; i < n; i++)
	{
		tpg_schema_create(names[i], owners[i]);
		tpg_carrier_create_all(names[i]);
	}
}

/*
 * tmebox_create_tenant_schemas() RETURNS void: called once by the update
 * from 0.1 (extension/sql/tmebox--0.1--0.2.sql, which declares it only
 * for that call), after it has added tmebox.tenant.nsp and the view
 * tmebox.tenant_owner; with the schemas come the carriers of each tenant
 * and its modules (tpg_carrier.c).  A tenant whose name is taken by another role's
 * schema fails the update with create_tenant's error.
 */
PG_FUNCTION_INFO_V1(tmebox_create_tenant_schemas);

Datum
tmebox_create_tenant_schemas(PG_FUNCTION_ARGS)
{
	if (tpg_catalog_is_0_1())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("tmebox's catalog has no view \"tmebox.tenant_owner\" yet"),
				 errhint("This function is part of ALTER EXTENSION tmebox UPDATE.")));
	tpg_admin_run("update tmebox", tpg_schema_create_all_body, NULL);
	PG_RETURN_VOID();
}
