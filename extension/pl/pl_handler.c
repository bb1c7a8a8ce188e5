/*-------------------------------------------------------------------------
 *
 * pl_handler.c
 *		The SQL entry points of the trusted language tmebox: call handler,
 *		validator and inline (DO) handler, in plsample's shape.
 *
 * Invariants kept here:
 *	- The validator follows PostgreSQL's order: CheckFunctionValidatorAccess,
 *	  then the signature always, then the body only when
 *	  check_function_bodies is on (pg_restore turns it off; the call handler
 *	  binds and compiles on first use instead).
 *	- Every error raised while running a function carries a context line
 *	  naming it.
 *	- A result of a domain type is returned only once it meets the
 *	  domain's constraints, one of a type with a value range (dates and
 *	  times) only inside it (pl_result_check; for a set, each element,
 *	  pl_srf.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_proc.h"
#include "commands/event_trigger.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

#include "pl_function.h"
#include "pl_handler.h"
#include "pl_spi.h"
#include "pl_trigger.h"

PG_FUNCTION_INFO_V1(tmebox_call_handler);
PG_FUNCTION_INFO_V1(tmebox_validator);
PG_FUNCTION_INFO_V1(tmebox_inline_handler);

/*
 * Error context: "tmebox function \"f\"".  The argument is the FmgrInfo of
 * the call; the name is looked up only when an error actually happens, so
 * the common path costs nothing.
 */
static void
pl_error_context(void *arg)
{
	FmgrInfo   *flinfo = (FmgrInfo *) arg;
	PlFunction *pf = (PlFunction *) flinfo->fn_extra;
	char	   *name = pf ? pf->name : get_func_name(flinfo->fn_oid);

	if (name)
		errcontext("tmebox function \"%s\"", name);
}

/* Same, for the validator and DO blocks: the argument is the name. */
static void
pl_error_context_named(void *arg)
{
	errcontext("tmebox function \"%s\"", (const char *) arg);
}

/* Called from _PG_init: runtime hooks only (cheap). */
void
tmebox_pl_init(void)
{
	pl_invoke_init();
	pl_spi_init();
	pl_trigger_init();
}

const char *
pl_handler_function_name(void)
{
	for (ErrorContextCallback *e = error_context_stack; e != NULL; e = e->previous)
	{
		if (e->callback == pl_error_context)
		{
			FmgrInfo   *flinfo = (FmgrInfo *) e->arg;
			PlFunction *pf = (PlFunction *) flinfo->fn_extra;
			char	   *name = pf ? pf->name : get_func_name(flinfo->fn_oid);

			return name ? name : "?";
		}
		if (e->callback == pl_error_context_named)
			return (const char *) e->arg;
	}
	return "?";
}

bool
pl_handler_read_only(void)
{
	for (ErrorContextCallback *e = error_context_stack; e != NULL; e = e->previous)
	{
		if (e->callback == pl_error_context)
		{
			FmgrInfo   *flinfo = (FmgrInfo *) e->arg;
			PlFunction *pf = (PlFunction *) flinfo->fn_extra;

			/* the binding of the running call, else the catalog */
			if (pf != NULL && pf->valid)
				return pf->readonly;
			return func_volatile(flinfo->fn_oid) != PROVOLATILE_VOLATILE;
		}
		if (e->callback == pl_error_context_named)
			return false;
	}
	return false;
}

Datum
tmebox_call_handler(PG_FUNCTION_ARGS)
{
	ErrorContextCallback ctx;
	PlFunction *pf;
	Datum		result;

	/*
	 * A call can come back here through PostgreSQL alone (a domain CHECK on
	 * the function's result that calls the function): without this check
	 * the recursion ran the backend's own stack out and killed the server.
	 */
	check_stack_depth();
	/* not from a statement a tmebox function runs (pl_spi.c) */
	pl_spi_check_not_nested();

	ctx.callback = pl_error_context;
	ctx.arg = (void *) fcinfo->flinfo;
	ctx.previous = error_context_stack;
	error_context_stack = &ctx;

	pf = pl_function_cached(fcinfo->flinfo);
	if (pf == NULL)
		pf = pl_function_get(fcinfo->flinfo);
	if (pf->scalar)
		result = pl_function_call_scalar(pf, fcinfo);
	else if (pf->bytes)
		result = pl_function_call_bytes(pf, fcinfo);	/* text in, text out */
	else
	{
		/* a row type changed since the binding (ALTER TYPE): bind again */
		if (unlikely(pf->structs) && !pl_function_structs_current(pf))
			pf = pl_function_rebind(fcinfo->flinfo, pf);
		if (unlikely(pf->retset))
			result = pl_function_call_set(pf, fcinfo);	/* checks each row */
		else if (unlikely(pf->trigger))
			result = pl_function_call_trigger(pf, fcinfo);	/* checks its row */
		else
			result = pl_function_call(pf, fcinfo);
	}
	if (unlikely(pf->retcheck) && !pf->retset)
		result = pl_result_check(pf, result, fcinfo->isnull);

	error_context_stack = ctx.previous;
	return result;
}

Datum
tmebox_validator(PG_FUNCTION_ARGS)
{
	Oid			fn_oid = PG_GETARG_OID(0);
	ErrorContextCallback ctx;

	if (!CheckFunctionValidatorAccess(fcinfo->flinfo->fn_oid, fn_oid))
		PG_RETURN_VOID();
	pl_spi_check_not_nested();

	ctx.callback = pl_error_context_named;
	ctx.arg = (void *) get_func_name(fn_oid);
	ctx.previous = error_context_stack;
	error_context_stack = &ctx;

	pl_function_validate(fn_oid, check_function_bodies);

	error_context_stack = ctx.previous;
	PG_RETURN_VOID();
}

Datum
tmebox_inline_handler(PG_FUNCTION_ARGS)
{
	InlineCodeBlock *codeblock = (InlineCodeBlock *) DatumGetPointer(PG_GETARG_DATUM(0));
	ErrorContextCallback ctx;

	pl_spi_check_not_nested();

	ctx.callback = pl_error_context_named;
	ctx.arg = (void *) "inline_code_block";
	ctx.previous = error_context_stack;
	error_context_stack = &ctx;

	pl_inline_run(codeblock->source_text);

	error_context_stack = ctx.previous;
	PG_RETURN_VOID();
}
