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
 *	- Which schema is the tenant's, and so who owns the tenant, is one
 *	  rule, held by the view tmebox.tenant_owner (extension/sql/tmebox.sql;
 *	  its columns owner and nsp) and only read here (tpg_schema_is_tenants)
 *	  and by tpg_catalog.c: the schema whose OID create_tenant or
 *	  alter_tenant recorded in tmebox.tenant.nsp, whatever its name now,
 *	  while it is one tmebox recorded (its dependency on the extension: a
 *	  stale OID after a restore may be any schema's); only without it, the
 *	  schema of the tenant's name that the recorded owner owns and that is
 *	  no other tenant's.  A schema of the tenant's name owned by another
 *	  role never becomes the tenant's schema or makes its owner the
 *	  tenant's owner.
 *	- A tenant's schema may be renamed: the tenant keeps it (found by
 *	  OID); alter_tenant and drop_tenant act on it by OID, never on
 *	  whatever schema has the tenant's name now.
 *	- A recorded OID is one tenant's: recording it clears any other
 *	  tenant's stale copy of it.
 *	- create_tenant never takes over a schema of another role, nor
 *	  another tenant's (renamed) schema: an existing schema of the
 *	  tenant's name is adopted only when the new owner already owns it
 *	  and it is no tenant's schema.  alter_tenant(owner => ...) of a tenant
 *	  left without a schema adopts one the same way, and when another
 *	  role's schema has the tenant's name, gives the tenant a new schema
 *	  of a free name (tenant_2, ...) instead: a squatter never blocks the
 *	  repair.  The one exception is the tenant's schema as a restore made
 *	  it without the owner role: owned by a superuser and holding the
 *	  tenant's carrier (tpg_schema_restored_ownerless), it is given to the
 *	  new owner.
 *	- The schema depends (DEPENDENCY_NORMAL) on the extension, so DROP
 *	  EXTENSION tmebox is refused while tenants exist and DROP EXTENSION
 *	  ... CASCADE removes their schemas: nothing is left for a new CREATE
 *	  EXTENSION and create_tenant to trip on.
 *	- drop_tenant drops the tenant's schema (by OID) RESTRICT: objects in
 *	  it (functions, tables) make drop_tenant fail with PostgreSQL's own
 *	  2BP01.
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
#include "commands/schemacmds.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/syscache.h"

#include "tpg_admin.h"
#include "tpg_carrier.h"
#include "tpg_compat.h"
#include "tpg_schema.h"

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
 * The tenant's schema by the rule of tmebox.tenant_owner (whatever its
 * name), else InvalidOid; *other is set when a schema of the tenant's
 * name exists that is not the tenant's.  False if there is no tenant of
 * that name.
 */
static bool
tpg_schema_is_tenants(const char *tenant, Oid *nsp, bool *other)
{
	Oid			types[1] = {TEXTOID};
	Datum		values[1];
	bool		isnull;
	Datum		d;

	*nsp = InvalidOid;
	*other = false;
	values[0] = CStringGetTextDatum(tenant);
	tpg_spi("SELECT o.nsp, EXISTS (SELECT FROM pg_catalog.pg_namespace n"
			"  WHERE n.nspname OPERATOR(pg_catalog.=) o.name"
			"    AND n.oid IS DISTINCT FROM o.nsp)"
			" FROM tmebox.tenant_owner o WHERE o.name OPERATOR(pg_catalog.=) $1",
			1, types, values, NULL, SPI_OK_SELECT);
	if (SPI_processed == 0)
		return false;
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
		*nsp = DatumGetObjectId(d);
	*other = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 2, &isnull));
	return true;
}

/*
 * The tenant other than `tenant` whose schema (tmebox.tenant_owner.nsp)
 * NSP is, or NULL.
 */
static char *
tpg_schema_tenant_of(Oid nsp, const char *tenant)
{
	Oid			types[2] = {OIDOID, TEXTOID};
	Datum		values[2];
	bool		isnull;

	values[0] = ObjectIdGetDatum(nsp);
	values[1] = CStringGetTextDatum(tenant);
	tpg_spi("SELECT o.name FROM tmebox.tenant_owner o"
			" WHERE o.nsp OPERATOR(pg_catalog.=) $1"
			"   AND o.name OPERATOR(pg_catalog.<>) $2 LIMIT 1",
			2, types, values, NULL, SPI_OK_SELECT);
	if (SPI_processed == 0)
		return NULL;
	return TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[0],
											 SPI_tuptable->tupdesc, 1, &isnull));
}

/*
 * Record NSP as the tenant's schema: in tmebox.tenant.nsp (cleared in any
 * other row holding the same OID: a stale value from before a restore),
 * and as a dependency of the schema on the extension (once), which marks
 * it as a schema tmebox recorded.
 */
static void
tpg_schema_record(const char *tenant, Oid nsp)
{
	Oid			ext = get_extension_oid("tmebox", false);
	Oid			types[2] = {TEXTOID, OIDOID};
	Datum		values[2];

	values[0] = CStringGetTextDatum(tenant);
	values[1] = ObjectIdGetDatum(nsp);
	tpg_spi("UPDATE tmebox.tenant"
			" SET nsp = CASE WHEN name OPERATOR(pg_catalog.=) $1 THEN $2 END"
			" WHERE name OPERATOR(pg_catalog.=) $1 OR nsp OPERATOR(pg_catalog.=) $2",
			2, types, values, NULL, SPI_OK_UPDATE);

	types[0] = OIDOID;
	values[0] = ObjectIdGetDatum(nsp);
	values[1] = ObjectIdGetDatum(ext);
	tpg_spi("SELECT 1 FROM pg_catalog.pg_depend"
			" WHERE classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass"
			"   AND objid OPERATOR(pg_catalog.=) $1"
			"   AND refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass"
			"   AND refobjid OPERATOR(pg_catalog.=) $2",
			2, types, values, NULL, SPI_OK_SELECT);
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
 * CREATE SCHEMA name AUTHORIZATION owner; its OID.  Inside an extension
 * script CREATE SCHEMA makes the schema a member of the extension being
 * created or updated: that membership is removed again.
 */
static Oid
tpg_schema_make(const char *name, Oid owner)
{
	Oid			nsp;

	tpg_spi_utility(psprintf("CREATE SCHEMA %s AUTHORIZATION %s",
							 quote_identifier(name),
							 quote_identifier(GetUserNameFromId(owner, false))));
	nsp = get_namespace_oid(name, false);
	if (creating_extension)
	{
		deleteDependencyRecordsForClass(NamespaceRelationId, nsp,
										ExtensionRelationId, DEPENDENCY_EXTENSION);
		CommandCounterIncrement();
	}
	return nsp;
}

static void
tpg_schema_refuse(const char *tenant, Oid nsp, const char *other_tenant)
{
	if (other_tenant)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_SCHEMA),
				 errmsg("schema \"%s\" already exists", tenant),
				 errdetail("It is the schema of tenant \"%s\", renamed.", other_tenant),
				 errhint("Choose another tenant name, or rename that schema first.")));
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
		tpg_schema_refuse(tenant, nsp, NULL);
	else
	{
		char	   *other_tenant = tpg_schema_tenant_of(nsp, tenant);

		if (other_tenant)
			tpg_schema_refuse(tenant, nsp, other_tenant);
	}
	tpg_schema_record(tenant, nsp);
}

/* "tenant_2", "tenant_3", ...: the first name no schema has. */
static char *
tpg_schema_free_name(const char *tenant)
{
	int			i;

	for (i = 2;; i++)
	{
		char		suffix[16];
		char	   *name;

		CHECK_FOR_INTERRUPTS();
		snprintf(suffix, sizeof(suffix), "_%d", i);
		name = psprintf("%.*s%s", (int) (NAMEDATALEN - 1 - strlen(suffix)),
						tenant, suffix);
		if (!OidIsValid(get_namespace_oid(name, true)))
			return name;
	}
}

/*
 * Is NSP the tenant's schema as a restore made it without the owner role
 * (its ALTER SCHEMA ... OWNER TO failed, or pg_restore --no-owner): owned
 * by a superuser (the one who restored it) and holding the tenant's
 * carrier, which only tmebox writes (tpg_carrier.c)?
 */
static bool
tpg_schema_restored_ownerless(Oid nsp, const char *tenant)
{
	ListCell   *lc;

	if (!superuser_arg(tpg_schema_owner(nsp)))
		return false;
	foreach(lc, tpg_carrier_tenants())
	{
		TpgCarrierTenant *t = (TpgCarrierTenant *) lfirst(lc);

		if (t->nsp == nsp && strcmp(t->name, tenant) == 0)
			return true;
	}
	return false;
}

/*
 * A schema for a tenant that has none (dropped, or a restore whose schema
 * of the tenant's name OWNER does not own): the schema of its name if it
 * is free, or no other tenant's and OWNER's own or the tenant's restored
 * without its owner (given to OWNER); else a new schema of a free name,
 * since that one is another role's.
 */
static Oid
tpg_schema_replace(const char *tenant, Oid owner)
{
	Oid			nsp = get_namespace_oid(tenant, true);
	char	   *name;

	if (!OidIsValid(nsp))
		return tpg_schema_make(tenant, owner);
	if (tpg_schema_tenant_of(nsp, tenant) == NULL &&
		(tpg_schema_owner(nsp) == owner || tpg_schema_restored_ownerless(nsp, tenant)))
	{
		if (tpg_schema_owner(nsp) != owner)
			AlterSchemaOwner_oid(nsp, owner);
		return nsp;
	}
	name = tpg_schema_free_name(tenant);
	ereport(NOTICE,
			(errmsg("tenant \"%s\" gets the new schema \"%s\"", tenant, name),
			 errdetail("Schema \"%s\" is owned by role \"%s\" and is not the tenant's.",
					   tenant, GetUserNameFromId(tpg_schema_owner(nsp), false))));
	return tpg_schema_make(name, owner);
}

/*
 * Before the tenant's row is updated by alter_tenant, OWNER its new owner
 * or InvalidOid (unchanged).  The tenant's schema, found by OID whatever
 * its name, goes to OWNER and its OID is recorded again (after a restore:
 * the schema found by name gets its dependency on the extension).  A
 * tenant without one gets one (tpg_schema_replace) when given an owner.
 * A missing tenant is left to the caller to report.
 */
void
tpg_schema_set_owner(const char *tenant, Oid owner)
{
	bool		other;
	Oid			nsp;

	if (tpg_catalog_is_0_1() || !tpg_schema_is_tenants(tenant, &nsp, &other))
		return;
	if (OidIsValid(nsp))
	{
		if (OidIsValid(owner) && tpg_schema_owner(nsp) != owner)
			AlterSchemaOwner_oid(nsp, owner);
	}
	else if (OidIsValid(owner))
		nsp = tpg_schema_replace(tenant, owner);
	else
		return;
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
	{
		ObjectAddress schema;

		ObjectAddressSet(schema, NamespaceRelationId, nsp);
		performDeletion(&schema, DROP_RESTRICT, 0);
	}
}

/* Every tenant's schema, as create_tenant makes it (runs as tpg_admin_run). */
static void
tpg_schema_create_all_body(void *arg)
{
	int			n;
	int			i;
	char	  **names;
	Oid		   *owners;

	tpg_spi("SELECT name::pg_catalog.text, owner::pg_catalog.oid FROM tmebox.tenant"
			" ORDER BY name",
			0, NULL, NULL, NULL, SPI_OK_SELECT);
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
