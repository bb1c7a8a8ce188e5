/*-------------------------------------------------------------------------
 *
 * tpg_tenant.c
 *		SQL functions tmebox.create_tenant, tmebox.alter_tenant and
 *		tmebox.drop_tenant: the tenant catalog and its KeyIDs.
 *
 * Invariants kept here:
 *	- Only superusers and tmebox_admin members get past the first line of
 *	  each function (tpg_admin_check); the catalog is changed as its owner
 *	  through tpg_admin_run, never with the caller's rights.
 *	- All input is validated before the catalog is touched, and every
 *	  failure is an ERROR, so a failed call leaves nothing behind.
 *	- A tenant's KeyID is the lowest one in 1..tpg_max_keyid() not held by
 *	  another tenant: never 0 (the host's key), reused after a drop.
 *	  create_tenant holds SHARE ROW EXCLUSIVE on tmebox.tenant (which
 *	  conflicts with itself and with every writer) from before it looks
 *	  for a free KeyID until its transaction ends, so two sessions never
 *	  pick the same one; the UNIQUE constraint backs this up.  Under
 *	  REPEATABLE READ or SERIALIZABLE a transaction's snapshot may predate
 *	  a concurrent commit; the resulting unique violation is reported as a
 *	  serialization failure (40001), which clients retry.
 *	- Every SPI statement schema-qualifies tables and operators.
 *	- A tenant has a schema of its name owned by its owner, created,
 *	  given away and dropped with it (tpg_schema.c): PostgreSQL's own
 *	  ownership tracking (DROP ROLE, REASSIGN OWNED) applies to tenants.
 *	- tmebox.module and tmebox.body_object have no foreign key to
 *	  tmebox.tenant (pg_restore -j): drop_tenant locks the row, refuses
 *	  while modules exist (latest snapshot) and deletes the compiled
 *	  bodies itself.
 *	- The schema holds the tenant's carrier (tpg_carrier.c: its memory
 *	  limit, for restores), written whenever the row changes and dropped
 *	  before the schema.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "catalog/namespace.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"

#include "tpg_admin.h"
#include "tpg_carrier.h"
#include "tpg_check.h"
#include "tpg_guc.h"
#include "tpg_schema.h"

PG_FUNCTION_INFO_V1(tmebox_create_tenant);
PG_FUNCTION_INFO_V1(tmebox_alter_tenant);
PG_FUNCTION_INFO_V1(tmebox_drop_tenant);

/* Arguments and result of the SPI bodies below. */
typedef struct TpgTenantOp
{
	const char *name;
	Oid			owner;			/* InvalidOid: leave unchanged (alter) */
	int64		memory_limit;	/* 0: leave unchanged (alter) */
	int			max_keyid;		/* create: highest KeyID allowed */
	int			keyid;			/* create: the KeyID handed out */
} TpgTenantOp;

/*
 * Tell every backend that tenants changed (limits, owners, existence):
 * their sandbox caches listen for relcache invalidations of tmebox.tenant.
 */
static void
tpg_tenant_invalidate(void)
{
	Oid			relid = get_relname_relid("tenant", get_namespace_oid("tmebox", false));

	if (OidIsValid(relid))
		CacheInvalidateRelcacheByRelid(relid);
}

/* The only int4 column of the first row of the last SPI result. */
static int
tpg_spi_int4(void)
{
	bool		isnull;
	Datum		d;

	if (SPI_processed < 1)
		elog(ERROR, "query returned no rows");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
					  &isnull);
	if (isnull)
		elog(ERROR, "query returned NULL");
	return DatumGetInt32(d);
}

static void
tpg_create_body(void *arg)
{
	TpgTenantOp *op = (TpgTenantOp *) arg;
	Oid			types[4] = {TEXTOID, OIDOID, INT4OID, INT8OID};
	Datum		values[4];
	MemoryContext cxt = CurrentMemoryContext;

	/* Serialises create_tenant calls and waits out every other writer. */
	tpg_spi_utility("LOCK TABLE tmebox.tenant IN SHARE ROW EXCLUSIVE MODE");

	values[0] = CStringGetTextDatum(op->name);
	tpg_spi("SELECT 1 FROM tmebox.tenant WHERE name OPERATOR(pg_catalog.=) $1",
			1, types, values, NULL, SPI_OK_SELECT);
	if (SPI_processed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("tenant \"%s\" already exists", op->name)));

	/* The lowest free KeyID is 1 or one above a KeyID in use. */
	tpg_spi("SELECT c.k FROM (SELECT 1 AS k"
			"  UNION ALL SELECT t.keyid OPERATOR(pg_catalog.+) 1"
			"  FROM tmebox.tenant t) c"
			" WHERE NOT EXISTS (SELECT 1 FROM tmebox.tenant u"
			"  WHERE u.keyid OPERATOR(pg_catalog.=) c.k)"
			" ORDER BY c.k LIMIT 1",
			0, NULL, NULL, NULL, SPI_OK_SELECT);
	op->keyid = tpg_spi_int4();
	if (op->keyid > op->max_keyid)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("no free KeyID for tenant \"%s\"", op->name),
				 errdetail("KeyIDs 1 to %d are all in use.", op->max_keyid),
				 errhint("Drop an unused tenant, or raise tmebox.max_keyids if it is below the backend's maximum.")));

	values[1] = ObjectIdGetDatum(op->owner);
	values[2] = Int32GetDatum(op->keyid);
	values[3] = Int64GetDatum(op->memory_limit);
	PG_TRY();
	{
		tpg_spi("INSERT INTO tmebox.tenant (name, owner, keyid, memory_limit)"
				" VALUES ($1, $2, $3, $4)",
				4, types, values, NULL, SPI_OK_INSERT);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_UNIQUE_VIOLATION ||
			!IsolationUsesXactSnapshot())
			PG_RE_THROW();
		FlushErrorState();
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("could not serialize access due to concurrent tenant creation"),
				 errdetail("Another transaction created a tenant with the same name or KeyID after this transaction's snapshot was taken."),
				 errhint("The transaction might succeed if retried.")));
	}
	PG_END_TRY();
	tpg_schema_create(op->name, op->owner);
	tpg_carrier_set_tenant(op->name, op->memory_limit);
}

/*
 * tmebox.create_tenant(name text, owner regrole DEFAULT NULL,
 *						memory_limit text DEFAULT '64MB') RETURNS int
 *
 * owner NULL means the current user.  Returns the new tenant's KeyID.
 */
Datum
tmebox_create_tenant(PG_FUNCTION_ARGS)
{
	TpgTenantOp op;

	tpg_admin_check("create tenants", NULL, InvalidOid);
	op.name = tpg_text_arg(fcinfo, 0, "tenant name");
	tpg_check_name("tenant", op.name);
	op.owner = PG_ARGISNULL(1) ? GetUserId() : PG_GETARG_OID(1);
	tpg_check_role(op.owner);
	op.memory_limit =
		tpg_parse_memory_limit(tpg_text_arg(fcinfo, 2, "memory limit"));
	op.max_keyid = tpg_max_keyid();
	op.keyid = 0;

	tpg_admin_run("create tenants", tpg_create_body, &op);
	PG_RETURN_INT32(op.keyid);
}

static void
tpg_alter_body(void *arg)
{
	TpgTenantOp *op = (TpgTenantOp *) arg;
	Oid			types[3] = {TEXTOID, INT8OID, OIDOID};
	Datum		values[3];
	char		nulls[3] = {' ', ' ', ' '};
	bool		isnull;

	values[0] = CStringGetTextDatum(op->name);
	values[1] = Int64GetDatum(op->memory_limit);
	values[2] = ObjectIdGetDatum(op->owner);
	if (op->memory_limit == 0)
		nulls[1] = 'n';
	if (!OidIsValid(op->owner))
		nulls[2] = 'n';
	/* also records the schema's OID again (after a restore) */
	tpg_schema_set_owner(op->name, op->owner);
	tpg_spi("UPDATE tmebox.tenant"
			" SET memory_limit = COALESCE($2, memory_limit),"
			"     owner = COALESCE($3, owner::pg_catalog.oid)"
			" WHERE name OPERATOR(pg_catalog.=) $1"
			" RETURNING memory_limit",
			3, types, values, nulls, SPI_OK_UPDATE_RETURNING);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tenant \"%s\" does not exist", op->name)));
	tpg_carrier_set_tenant(op->name,
						   DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
													   SPI_tuptable->tupdesc,
													   1, &isnull)));
	/* running sessions rebind at their next statement: new limit, owner */
	tpg_tenant_invalidate();
}

/*
 * tmebox.alter_tenant(name text, memory_limit text DEFAULT NULL,
 *					   owner regrole DEFAULT NULL) RETURNS void
 *
 * Changes the arguments that are not NULL; at least one must be given.
 * Sessions already running see the change at their next statement that
 * calls one of the tenant's functions (relcache invalidation of
 * tmebox.tenant): a lowered limit below what the tenant's sandboxes in
 * that session use drops them (their globals start afresh), else it holds
 * their further growth (53200); a new owner gives the tenant fresh
 * sandboxes, and functions owned by the old owner no longer run in it.
 */
Datum
tmebox_alter_tenant(PG_FUNCTION_ARGS)
{
	TpgTenantOp op;

	tpg_admin_check("alter tenants", NULL, InvalidOid);
	op.name = tpg_text_arg(fcinfo, 0, "tenant name");
	if (PG_ARGISNULL(1) && PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("nothing to alter for tenant \"%s\"", op.name),
				 errhint("Pass memory_limit, owner or both.")));
	op.memory_limit = PG_ARGISNULL(1) ? 0 :
		tpg_parse_memory_limit(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	op.owner = PG_ARGISNULL(2) ? InvalidOid : PG_GETARG_OID(2);
	if (!PG_ARGISNULL(2))
		tpg_check_role(op.owner);

	tpg_admin_run("alter tenants", tpg_alter_body, &op);
	PG_RETURN_VOID();
}

static void
tpg_drop_body(void *arg)
{
	TpgTenantOp *op = (TpgTenantOp *) arg;
	Oid			types[1] = {TEXTOID};
	Datum		values[1];
	SPIPlanPtr	plan;

	values[0] = CStringGetTextDatum(op->name);
	/*
	 * No foreign keys guard the modules (tmebox.sql): the row is locked
	 * against create_module (which takes it FOR KEY SHARE), then the
	 * modules are looked for with the latest snapshot, which sees one
	 * committed meanwhile even under REPEATABLE READ.
	 */
	tpg_spi("SELECT 1 FROM tmebox.tenant WHERE name OPERATOR(pg_catalog.=) $1 FOR UPDATE",
			1, types, values, NULL, SPI_OK_SELECT);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tenant \"%s\" does not exist", op->name)));
	plan = SPI_prepare("SELECT 1 FROM tmebox.module WHERE tenant OPERATOR(pg_catalog.=) $1 LIMIT 1",
					   1, types);
	if (plan == NULL ||
		SPI_execute_snapshot(plan, values, NULL, GetLatestSnapshot(),
							 InvalidSnapshot, true, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not look for the modules of tenant \"%s\"", op->name);
	if (SPI_processed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg("tenant \"%s\" still has modules", op->name),
				 errhint("Drop them first with tmebox.drop_module().")));
	tpg_carrier_drop_tenant(op->name);
	tpg_schema_drop(op->name);
	tpg_spi("DELETE FROM tmebox.body_object WHERE tenant OPERATOR(pg_catalog.=) $1",
			1, types, values, NULL, SPI_OK_DELETE);
	tpg_spi("DELETE FROM tmebox.tenant WHERE name OPERATOR(pg_catalog.=) $1",
			1, types, values, NULL, SPI_OK_DELETE);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tenant \"%s\" does not exist", op->name)));
	tpg_tenant_invalidate();
}

/*
 * tmebox.drop_tenant(name text) RETURNS void
 *
 * Frees the tenant's KeyID for the next create_tenant.
 */
Datum
tmebox_drop_tenant(PG_FUNCTION_ARGS)
{
	TpgTenantOp op;

	tpg_admin_check("drop tenants", NULL, InvalidOid);
	op.name = tpg_text_arg(fcinfo, 0, "tenant name");
	tpg_admin_run("drop tenants", tpg_drop_body, &op);
	PG_RETURN_VOID();
}
