/*-------------------------------------------------------------------------
 *
 * tpg_depend.c
 *		drop_module and replace_module refuse to break the functions bound
 *		to a module's exports (AS 'module.export'), unless told to drop
 *		them with cascade => true: PostgreSQL's DROP ... RESTRICT/CASCADE,
 *		for an object PostgreSQL does not know.
 *
 *		A module is a row of tmebox.module, not a system catalog object, so
 *		the dependency cannot be a pg_depend entry: pg_depend rows whose
 *		refclassid is not a system catalog make getObjectDescription fail
 *		("unrecognized object class") in DROP ... CASCADE reports, \d and
 *		pg_describe_object.  The dependents are found by a catalog query
 *		instead, with the rules the call handler binds by (pl_bind.c): a
 *		function of LANGUAGE tmebox whose source is 'module.export', that
 *		runs in the tenant (named by its own SET tmebox.tenant, else the
 *		only tenant its owner owns).  A function whose SET clause names a
 *		tenant its owner may not run code in (tpg_may_run_in_tenant, the
 *		rule of binding) never runs there, so it depends on nothing of that
 *		tenant: ALTER FUNCTION ... SET tmebox.tenant (which no validator
 *		sees) does not let one tenant block another's drop_module, nor
 *		have its cascade drop the first tenant's objects.
 *
 * Invariants kept here:
 *	- Dropping a module breaks every function bound to it; replacing it
 *	  breaks those bound to an export the new module file no longer has,
 *	  or has with another C signature (a row struct of other members, by
 *	  name and value type, counts as one).  A function that did not bind
 *	  before (its export missing already) is not a dependent.
 *	- Without cascade nothing is changed and the error is 2BP01 with a
 *	  detail line per function; with cascade the functions are dropped
 *	  through performMultipleDeletions (DROP_CASCADE: objects depending on
 *	  the functions go too, reported as PostgreSQL reports them), as the
 *	  current user, like the dependents of any dropped object regardless
 *	  of who owns them.
 *	- Two tenants may have modules of the same name: only functions
 *	  running in this tenant count, and a function naming the tenant in
 *	  its SET clause counts only while its owner may run code there.
 *	- A function created concurrently, after the query, is not seen: it
 *	  fails at its next call with the usual "exports no function" error.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/dependency.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "tmebox_rt.h"
#include "tpg_admin.h"
#include "tpg_catalog.h"
#include "tpg_check.h"
#include "tpg_compat.h"
#include "tpg_depend.h"
#include "tpg_module.h"

/* The functions of LANGUAGE tmebox bound to a module name, by tenant. */
typedef struct TpgBound
{
	const char *tenant;
	const char *module;
	MemoryContext cxt;
	int			n;
	Oid		   *oids;
	char	  **sources;
	Oid		   *owners;			/* pg_proc.proowner */
	bool	   *named;			/* the tenant is the function's SET clause's */
} TpgBound;

static void
tpg_bound_spi(void *arg)
{
	TpgBound    *b = (TpgBound *) arg;
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		values[2];
	MemoryContext old;
	uint64		i;

	values[0] = CStringGetTextDatum(b->tenant);
	values[1] = CStringGetTextDatum(b->module);
	/* owners as the call handler sees them (tpg_compat.c: 0.1 catalog) */
	tpg_spi_read(psprintf(
				 "SELECT p.oid, p.prosrc, p.proowner, s.tenant IS NOT NULL"
				 " FROM pg_catalog.pg_proc p"
				 " LEFT JOIN LATERAL (SELECT NULLIF(pg_catalog.substr(u.c, 15), '') AS tenant"
				 "   FROM pg_catalog.unnest(p.proconfig) WITH ORDINALITY u(c, i)"
				 "   WHERE pg_catalog.starts_with(u.c, 'tmebox.tenant=')"
				 "   ORDER BY u.i DESC LIMIT 1) s ON true"
				 " WHERE p.prolang OPERATOR(pg_catalog.=) (SELECT l.oid FROM pg_catalog.pg_language l"
				 "   WHERE l.lanname OPERATOR(pg_catalog.=) 'tmebox')"
				 "  AND pg_catalog.split_part(pg_catalog.ltrim(p.prosrc, E' \\t\\n'), '.', 1)"
				 "   OPERATOR(pg_catalog.=) $2"
				 "  AND COALESCE(s.tenant,"
				 "   (SELECT pg_catalog.min(o.name) FROM %s o"
				 "    WHERE o.owner::pg_catalog.oid OPERATOR(pg_catalog.=) p.proowner"
				 "    HAVING pg_catalog.count(*) OPERATOR(pg_catalog.=) 1))"
				 "   OPERATOR(pg_catalog.=) $1"
				 " ORDER BY p.oid", tpg_catalog_owner_rel()),
				 2, types, values);
	old = MemoryContextSwitchTo(b->cxt);
	b->n = (int) SPI_processed;
	b->oids = palloc(sizeof(Oid) * Max(b->n, 1));
	b->sources = palloc(sizeof(char *) * Max(b->n, 1));
	b->owners = palloc(sizeof(Oid) * Max(b->n, 1));
	b->named = palloc(sizeof(bool) * Max(b->n, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		HeapTuple	tup = SPI_tuptable->vals[i];

		b->oids[i] = DatumGetObjectId(SPI_getbinval(tup, SPI_tuptable->tupdesc, 1, &isnull));
		b->sources[i] = TextDatumGetCString(SPI_getbinval(tup, SPI_tuptable->tupdesc, 2, &isnull));
		b->owners[i] = DatumGetObjectId(SPI_getbinval(tup, SPI_tuptable->tupdesc, 3, &isnull));
		b->named[i] = DatumGetBool(SPI_getbinval(tup, SPI_tuptable->tupdesc, 4, &isnull));
	}
	MemoryContextSwitchTo(old);
}

static const tmebox_signature *
tpg_depend_export(const tmebox_module_info *info, const char *name)
{
	int			i;

	for (i = 0; i < info->nexports; i++)
		if (strcmp(info->exports[i].name, name) == 0)
			return &info->exports[i];
	return NULL;
}

/*
 * Do two row structs pass the same SQL row: the same members, names and
 * value types, in order?  (Where they lie may differ: the runtime uses
 * each module's own offsets.)
 */
static bool
tpg_depend_same_struct(const tmebox_struct_layout *a, const tmebox_struct_layout *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (a->nfields != b->nfields)
		return false;
	for (int i = 0; i < a->nfields; i++)
		if (a->fields[i].type != b->fields[i].type ||
			strcmp(a->fields[i].name, b->fields[i].name) != 0)
			return false;
	return true;
}

static bool
tpg_depend_same_signature(const tmebox_signature *a, const tmebox_signature *b)
{
	int			i;

	if (a->ret != b->ret || a->nargs != b->nargs)
		return false;
	for (i = 0; i < a->nargs; i++)
		if (a->args[i] != b->args[i])
			return false;
	for (i = -1; i < a->nargs; i++)
		if (!tpg_depend_same_struct(tmebox_signature_struct(a, i), tmebox_signature_struct(b, i)))
			return false;
	return true;
}

void
tpg_depend_check(const char *tenant, const char *module,
				const bytea *old_object, const bytea *new_object, bool cascade)
{
	TpgBound		b = {0};
	TpgTenantRow row;
	const tmebox_module_info *old_info = NULL;
	const tmebox_module_info *new_info = NULL;
	ObjectAddresses *doomed = new_object_addresses();
	ObjectAddress first = {0};
	StringInfoData detail;
	int			ndoomed = 0;
	int			i;

	b.tenant = tenant;
	b.module = module;
	b.cxt = CurrentMemoryContext;
	tpg_catalog_run(tpg_bound_spi, &b);
	if (b.n == 0)
		return;
	/* the tenant's owner now, for functions that name the tenant */
	if (!tpg_catalog_tenant_by_name(tenant, &row))
		row.owner = InvalidOid;
	if (new_object != NULL)
	{
		old_info = tpg_module_info(old_object);
		new_info = tpg_module_info(new_object);
	}

	initStringInfo(&detail);
	for (i = 0; i < b.n; i++)
	{
		char		mod[NAMEDATALEN];
		char		symbol[NAMEDATALEN];
		ObjectAddress fn;
		const char *why;

		if (!tpg_parse_binding(b.sources[i], mod, symbol) || strcmp(mod, module) != 0)
			continue;
		/* named by its SET clause, but never runs there: 42501 at call */
		if (b.named[i] && !tpg_may_run_in_tenant(b.owners[i], row.owner))
			continue;
		ObjectAddressSet(fn, ProcedureRelationId, b.oids[i]);
		if (new_object == NULL)
			why = "";
		else
		{
			const tmebox_signature *was = tpg_depend_export(old_info, symbol);
			const tmebox_signature *now = tpg_depend_export(new_info, symbol);

			if (was == NULL || (now != NULL && tpg_depend_same_signature(was, now)))
				continue;
			why = now == NULL ?
				", which the new source does not export" :
				strcmp(was->csig, now->csig) == 0 ?
				psprintf(", whose row struct changes its members (C declaration \"%s\")",
						 now->csig) :
				psprintf(", whose C declaration changes from \"%s\" to \"%s\"",
						 was->csig, now->csig);
		}
		add_exact_object_address(&fn, doomed);
		if (ndoomed == 0)
			first = fn;
		appendStringInfo(&detail, "%s%s depends on export \"%s\" of module \"%s\"%s",
						 ndoomed ? "\n" : "", getObjectDescription(&fn, false),
						 symbol, module, why);
		ndoomed++;
	}
	if (ndoomed == 0)
		return;

	if (!cascade)
		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg("cannot %s module \"%s\" of tenant \"%s\" because other objects depend on it",
						new_object ? "replace" : "drop", module, tenant),
				 errdetail_internal("%s", detail.data),
				 new_object ?
				 errhint("Keep those exports and their C declarations, or use cascade => true to drop the dependent functions too.") :
				 errhint("Use cascade => true to drop the dependent functions too.")));

	if (ndoomed == 1)
		ereport(NOTICE,
				(errmsg("drop cascades to %s",
						getObjectDescription(&first, false))));
	else
		ereport(NOTICE,
				(errmsg_plural("drop cascades to %d other object",
							   "drop cascades to %d other objects",
							   ndoomed, ndoomed),
				 errdetail_internal("%s", detail.data)));
	performMultipleDeletions(doomed, DROP_CASCADE, 0);
	free_object_addresses(doomed);
}
