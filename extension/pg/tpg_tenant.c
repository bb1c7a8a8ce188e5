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
 *	- A tenant's KeyID is the lowest one in 1..tpg_max_keyid() that no
 *	  tenant of any database of the cluster holds (the registry,
 *	  tpg_keyreg.c): never 0 (the host's key), reused after a drop commits.
 *	  create_tenant holds SHARE ROW EXCLUSIVE on tmebox.tenant (which
 *	  conflicts with itself and with every writer) from before it reads
 *	  this database's tenants (latest snapshot) until its transaction
 *	  ends; the registry's lock serialises it with other databases.  Under
 *	  REPEATABLE READ or SERIALIZABLE a transaction's snapshot may predate
 *	  a concurrent commit; the resulting unique violation (a name) is
 *	  reported as a serialization failure (40001), which clients retry.
 *	- Every row inserted into tmebox.tenant (a restore's too) goes through
 *	  the trigger tenant_keyid: a KeyID another database holds is replaced
 *	  by a free one.  drop_tenant releases the KeyID when it commits.
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

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
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
#include "tpg_keyreg.h"
#include "tpg_schema.h"

PG_FUNCTION_INFO_V1(tmebox_create_tenant);
PG_FUNCTION_INFO_V1(tmebox_alter_tenant);
PG_FUNCTION_INFO_V1(tmebox_drop_tenant);
PG_FUNCTION_INFO_V1(tmebox_tenant_keyid);

/* Arguments and result of the SPI bodies below. */
typedef struct TpgTenantOp
{
	const char *name;
	Oid			owner;			/* InvalidOid: leave unchanged (alter) */
	int64		memory_limit;	/* 0: leave unchanged (alter) */
	int			max_keyid;		/* create: highest KeyID allowed */
	int			keyid;			/* create: the KeyID handed out */
	bool		moved;			/* create: other tenants' KeyIDs changed */
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

/*
 * The KeyID for the new tenant from the cluster's registry, which first
 * records every tenant of this database (rows read with the latest
 * snapshot: the table lock has waited out every writer); a tenant whose
 * KeyID another database holds is given the new one the registry chose.
 */
static int
tpg_create_keyid(TpgTenantOp *op)
{
	SPIPlanPtr	plan;
	TpgKeyregTenant *tenants;
	int			ntenants;
	int			keyid;
	int			i;
	Oid			types[2] = {TEXTOID, INT4OID};
	Datum		values[2];

	plan = SPI_prepare("SELECT name::pg_catalog.text, keyid FROM tmebox.tenant", 0, NULL);
	if (plan == NULL ||
		SPI_execute_snapshot(plan, NULL, NULL, GetLatestSnapshot(),
							 InvalidSnapshot, true, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the tenants' KeyIDs");
	ntenants = (int) SPI_processed;
	tenants = palloc0(sizeof(TpgKeyregTenant) * Max(ntenants, 1));
	for (i = 0; i < ntenants; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		bool		isnull;

		tenants[i].name = SPI_getvalue(tup, SPI_tuptable->tupdesc, 1);
		tenants[i].keyid = DatumGetInt32(SPI_getbinval(tup, SPI_tuptable->tupdesc,
													   2, &isnull));
	}
	keyid = tpg_keyreg_take(op->name, op->max_keyid, tenants, ntenants);
	for (i = 0; i < ntenants; i++)
	{
		if (tenants[i].new_keyid == tenants[i].keyid)
			continue;
		values[0] = CStringGetTextDatum(tenants[i].name);
		values[1] = Int32GetDatum(tenants[i].new_keyid);
		tpg_spi("UPDATE tmebox.tenant SET keyid = $2 WHERE name OPERATOR(pg_catalog.=) $1",
				2, types, values, NULL, SPI_OK_UPDATE);
		ereport(WARNING,
				(errmsg("tmebox tenant \"%s\" gets KeyID %d instead of %d",
						tenants[i].name, tenants[i].new_keyid, tenants[i].keyid),
				 errdetail("Another database of the cluster holds KeyID %d (this database was copied or restored, or its tenants predate the cluster's KeyID registry).",
						   tenants[i].keyid)));
		op->moved = true;
	}
	return keyid;
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

	op->keyid = tpg_create_keyid(op);

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
	if (op->moved)
		tpg_tenant_invalidate();	/* sessions see the new KeyIDs */
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
	op.moved = false;

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
	tpg_spi("DELETE FROM tmebox.tenant WHERE name OPERATOR(pg_catalog.=) $1"
			" RETURNING keyid",
			1, types, values, NULL, SPI_OK_DELETE_RETURNING);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tenant \"%s\" does not exist", op->name)));
	tpg_keyreg_release(op->name, tpg_spi_int4());
	tpg_tenant_invalidate();
}

/*
 * tmebox.drop_tenant(name text) RETURNS void
 *
 * Frees the tenant's KeyID for the next create_tenant (in any database)
 * once the transaction commits.
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

/*
 * Trigger tenant_keyid, BEFORE INSERT ON tmebox.tenant FOR EACH ROW: the
 * row's KeyID recorded in the cluster's registry for this database, or,
 * when another database (or another tenant of this one) holds it, the
 * lowest free one instead (a restore into a cluster whose other databases
 * took the dumped KeyIDs), with a WARNING.  create_tenant's own row keeps
 * the KeyID it was given.
 */
Datum
tmebox_tenant_keyid(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	tup;
	int			namecol,
				keycol;
	bool		isnull;
	Datum		keyid;
	int			newkeyid;
	char	   *name;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "tmebox_tenant_keyid: not called as a BEFORE INSERT row trigger");
	desc = trigdata->tg_relation->rd_att;
	tup = trigdata->tg_trigtuple;
	namecol = SPI_fnumber(desc, "name");
	keycol = SPI_fnumber(desc, "keyid");
	if (namecol <= 0 || keycol <= 0)
		elog(ERROR, "tmebox.tenant has no column \"name\" or \"keyid\"");
	name = SPI_getvalue(tup, desc, namecol);
	keyid = heap_getattr(tup, keycol, desc, &isnull);
	if (name == NULL || isnull)
		return PointerGetDatum(tup);	/* the NOT NULL constraints refuse it */
	newkeyid = tpg_keyreg_claim(name, DatumGetInt32(keyid), tpg_max_keyid());
	if (newkeyid != DatumGetInt32(keyid))
	{
		Datum		value = Int32GetDatum(newkeyid);
		bool		null = false;

		tup = heap_modify_tuple_by_cols(tup, desc, 1, &keycol, &value, &null);
	}
	return PointerGetDatum(tup);
}
