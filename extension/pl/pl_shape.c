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
 *	  VARIADIC parameters, sets of arrays (they would need arrays of
 *	  arrays), event trigger functions, and every argument or result
 *	  type pl_types.c does not map (pseudo-types such as anyelement or
 *	  internal included), and rows pl_struct.c cannot pass (nested rows,
 *	  array columns).
 *	- Handled, so accepted: procedures (CALL runs them like a void
 *	  function; they cannot commit), STRICT (the extra NULL flags
 *	  otherwise), results of a domain type (checked against the domain,
 *	  pl_call.c), RETURNS SETOF a scalar or byte-string type and RETURNS
 *	  TABLE with one column of one (an array result, one row per element,
 *	  pl_srf.c), rows as C structs (pl_struct.c): composite arguments and
 *	  results, OUT and INOUT parameters, RETURNS TABLE with several
 *	  columns and RETURNS SETOF a composite type, record arguments and
 *	  results and SETOF record as dynamic rows (pl_record.c: called
 *	  with a column definition list), trigger functions
 *	  without declared arguments (pl_trigger.c),
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
#include "pl_struct.h"

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

/* The result type: a mapped type, not an event trigger. */
static void
pl_check_result(Oid rettype)
{
	tmebox_type kind;

	if (rettype == EVENT_TRIGGEROID)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("tmebox functions cannot be event trigger functions"),
				 errhint("Write the event trigger function in PL/pgSQL and call tmebox functions from it.")));
	if (!pl_type_kind(rettype, true, &kind))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("tmebox functions cannot return type %s", format_type_be(rettype)),
				 errhint("Supported: %s.", pl_type_list(PL_TYPES_RESULT))));
}

/*
 * RETURNS SETOF t, or TABLE with one column of type t: t a scalar or
 * byte-string type, returned as an array of its value type.  (Sets of
 * rows: pl_struct_of_result.)
 */
static void
pl_check_set(Oid rettype)
{
	tmebox_type kind;

	if (pl_type_set_kind(rettype, &kind))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("tmebox functions cannot return sets of type %s", format_type_be(rettype)),
			 pl_type_kind(rettype, false, &kind) ?
			 errdetail("A set is returned as an array of its elements' C type, and the sandbox ABI has no arrays of arrays.") : 0,
			 errhint("Supported: SETOF %s, or of a composite type.", pl_type_list(PL_TYPES_SET))));
}

/* Parameter modes: IN, OUT, INOUT and TABLE columns; no VARIADIC. */
static void
pl_check_modes(HeapTuple procTup)
{
	if (OidIsValid(((Form_pg_proc) GETSTRUCT(procTup))->provariadic))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("tmebox functions cannot have VARIADIC parameters")));
}

/* An argument type: mapped, or a composite type (a row as a C struct). */
static void
pl_check_arg(Oid argtype)
{
	tmebox_type kind;

	if (pl_struct_type(argtype))
	{
		(void) pl_struct_of_type(argtype, psprintf("type %s", format_type_be(argtype)));
		return;
	}
	if (!pl_type_kind(argtype, false, &kind))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("tmebox functions cannot take type %s", format_type_be(argtype)),
				 errhint("Supported: %s, and composite types.", pl_type_list(PL_TYPES_ARGS))));
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
	int			i;

	pl_check_kind(proc);
	if (proc->prorettype == TRIGGEROID && !proc->proretset)
	{
		/* a trigger function (pl_trigger.c): its data comes through tg */
		if (proc->pronargs > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
					 errmsg("trigger functions cannot have declared arguments"),
					 errhint("The arguments of CREATE TRIGGER are tg->args[0 .. tg->nargs - 1].")));
		return;
	}
	if (proc->pronargs > maxargs)
		ereport(ERROR,
				(errcode(ERRCODE_TOO_MANY_ARGUMENTS),
				 errmsg("tmebox functions take at most %d arguments", maxargs)));
	pl_check_modes(procTup);
	for (i = 0; i < proc->pronargs; i++)
		pl_check_arg(proc->proargtypes.values[i]);
	if (pl_struct_of_result(procTup) != NULL)
		return;					/* a row, or a set of rows */
	if (proc->proretset)
		pl_check_set(proc->prorettype);
	else
		pl_check_result(proc->prorettype);
}
