/*-------------------------------------------------------------------------
 *
 * pl_shape.c
 *		Which pg_proc rows the language can run.  Checked at CREATE
 *		FUNCTION by the validator (whatever check_function_bodies says) and
 *		again whenever a function is bound for a call, since a row can reach
 *		the call handler without this validator having seen it (created by
 *		an older tmebox, or written to pg_proc directly).
 *
 * Invariants kept here:
 *	- Every pg_proc property that changes how a function is called or what
 *	  its result means is either handled by the call handler or refused
 *	  with 0A000 (feature_not_supported) and a message naming it, never
 *	  ignored: window functions (the handler would see a WindowObject it
 *	  does not read and return the same value for every row), aggregates,
 *	  OUT/INOUT/VARIADIC parameters, RETURNS TABLE with several columns
 *	  (rows), sets of arrays (they would need arrays of arrays), trigger
 *	  and event trigger functions, and every argument
 *	  or result type pl_types.c does not map (pseudo-types such as
 *	  anyelement or internal included).
 *	- Handled, so accepted: procedures (CALL runs them like a void
 *	  function; they cannot commit), STRICT (the extra NULL flags
 *	  otherwise), results of a domain type (checked against the domain,
 *	  pl_call.c), RETURNS SETOF a scalar or byte-string type and RETURNS
 *	  TABLE with one column of one (an array result, one row per element,
 *	  pl_srf.c),
 *	  SECURITY DEFINER and SET clauses (fmgr applies them).
 *	- Claims made to the planner are the declarer's, as in every language,
 *	  and do not change what the handler does: volatility, PARALLEL
 *	  SAFE/RESTRICTED (a parallel worker runs the function in sandboxes of
 *	  its own, so state kept in globals is per process), LEAKPROOF and
 *	  SUPPORT (both superuser-only), COST and ROWS.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "pl_function.h"

/* Refuse a function of a kind the handler cannot run. */
static void
pl_check_kind(Form_pg_proc proc)
{
	switch (proc->prokind)
	{
		case PROKIND_FUNCTION:
		case PROKIND_PROCEDURE:
			return;
		case PROKIND_WINDOW:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("tmebox functions cannot be window functions"),
					 errhint("Call a tmebox function from an SQL window function or an aggregate instead.")));
			break;
		case PROKIND_AGGREGATE:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("tmebox functions cannot be aggregate functions")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("tmebox functions cannot be of kind '%c'", proc->prokind)));
	}
}

/* The result type: a mapped type, not a trigger. */
static void
pl_check_result(Oid rettype)
{
	tmebox_type kind;

	if (rettype == TRIGGEROID || rettype == EVENT_TRIGGEROID)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("tmebox functions cannot be %s functions",
						rettype == TRIGGEROID ? "trigger" : "event trigger"),
				 errhint("Write the trigger function in PL/pgSQL and call tmebox functions from it.")));
	if (!pl_type_kind(rettype, true, &kind))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("tmebox functions cannot return type %s", format_type_be(rettype)),
				 errhint("Supported: %s.", pl_type_list(PL_TYPES_RESULT))));
}

/*
 * RETURNS SETOF t, or TABLE with one column of type t (`columns` TABLE
 * parameters): t a scalar or byte-string type, returned as an array of
 * its value type.
 */
static void
pl_check_set(Oid rettype, int columns)
{
	tmebox_type kind;

	if (columns > 1)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("tmebox functions cannot return rows"),
				 errdetail("RETURNS TABLE with %d columns returns rows; tmebox functions return one value per row.",
						   columns),
				 errhint("Use RETURNS TABLE with one column, or RETURNS SETOF one of: %s.",
						 pl_type_list(PL_TYPES_SET))));
	if (pl_type_set_kind(rettype, &kind))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("tmebox functions cannot return sets of type %s", format_type_be(rettype)),
			 pl_type_kind(rettype, false, &kind) ?
			 errdetail("A set is returned as an array of its elements' C type, and the sandbox ABI has no arrays of arrays.") : 0,
			 errhint("Supported: SETOF %s.", pl_type_list(PL_TYPES_SET))));
}

/*
 * Parameter modes: IN only, and the columns of RETURNS TABLE (counted
 * into *columns); no OUT, INOUT or VARIADIC.
 */
static void
pl_check_modes(HeapTuple procTup, int *columns)
{
	bool		isnull;
	Datum		d = SysCacheGetAttr(PROCOID, procTup, Anum_pg_proc_proargmodes, &isnull);
	bool		ok = !OidIsValid(((Form_pg_proc) GETSTRUCT(procTup))->provariadic);

	*columns = 0;
	if (!isnull)
	{
		ArrayType  *a = DatumGetArrayTypeP(d);
		const char *modes = (const char *) ARR_DATA_PTR(a);
		int			n = ARR_NDIM(a) == 1 ? ARR_DIMS(a)[0] : 0;

		for (int i = 0; i < n; i++)
		{
			if (modes[i] == PROARGMODE_TABLE)
				(*columns)++;
			else if (modes[i] != PROARGMODE_IN)
				ok = false;
		}
	}
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("tmebox functions cannot have OUT, INOUT or VARIADIC parameters")));
}

/*
 * Raise 0A000 (or 54023 for too many arguments) unless the function of
 * pg_proc row `procTup` is one the language runs correctly.
 */
void
pl_check_proc_shape(HeapTuple procTup)
{
	Form_pg_proc proc = (Form_pg_proc) GETSTRUCT(procTup);
	int			maxargs = proc->proisstrict ? TMEBOX_MAX_ARGS : TMEBOX_MAX_ARGS / 2;
	tmebox_type kind;
	int			columns;
	int			i;

	pl_check_kind(proc);
	if (proc->pronargs > maxargs)
		ereport(ERROR,
				(errcode(ERRCODE_TOO_MANY_ARGUMENTS),
				 errmsg("tmebox functions take at most %d arguments", maxargs)));
	pl_check_modes(procTup, &columns);
	for (i = 0; i < proc->pronargs; i++)
		if (!pl_type_kind(proc->proargtypes.values[i], false, &kind))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("tmebox functions cannot take type %s",
							format_type_be(proc->proargtypes.values[i])),
					 errhint("Supported: %s.", pl_type_list(PL_TYPES_ARGS))));
	if (proc->proretset)
		pl_check_set(proc->prorettype, columns);
	else
		pl_check_result(proc->prorettype);
}
