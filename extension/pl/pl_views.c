/*-------------------------------------------------------------------------
 *
 * pl_views.c
 *		Set-returning functions behind the observability views:
 *		tmebox.instances (this backend's resident sandboxes) and the
 *		per-backend counters joined into tmebox.tenants.
 *
 * Invariant: these functions only read this backend's caches; they never
 * touch a view's memory (committed bytes come from the runtime's own
 * bookkeeping).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "funcapi.h"
#include "utils/builtins.h"

#include "pl_cache.h"

PG_FUNCTION_INFO_V1(tmebox_instances);
PG_FUNCTION_INFO_V1(tmebox_tenant_usage);

Datum
tmebox_instances(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PlInstanceStat *stats;
	int			n;
	int			i;

	pl_cache_flush_if_stale();
	InitMaterializedSRF(fcinfo, 0);
	n = pl_cache_snapshot(&stats);
	for (i = 0; i < n; i++)
	{
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};

		values[0] = CStringGetTextDatum(stats[i].tenant);
		values[1] = CStringGetTextDatum(stats[i].module);
		values[2] = Int32GetDatum((int32) stats[i].keyid);
		/* a tenant known from its carrier only (a restore): no KeyID yet */
		nulls[2] = stats[i].keyid == 0;
		values[3] = Int64GetDatum((int64) stats[i].committed);
		values[4] = Int64GetDatum((int64) stats[i].calls);
		values[5] = Int64GetDatum((int64) stats[i].faults);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
tmebox_tenant_usage(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PlTenant   *tenants;
	int			n;
	int			i;

	pl_cache_flush_if_stale();
	InitMaterializedSRF(fcinfo, 0);
	n = pl_cache_tenant_snapshot(&tenants);
	for (i = 0; i < n; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = CStringGetTextDatum(tenants[i].name);
		values[1] = Int64GetDatum((int64) tenants[i].calls);
		values[2] = Int64GetDatum((int64) tenants[i].faults);
		values[3] = Int64GetDatum((int64) tenants[i].budget.used);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
