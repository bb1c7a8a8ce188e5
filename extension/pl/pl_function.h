/*-------------------------------------------------------------------------
 *
 * pl_function.h
 *		A tmebox function bound to its sandbox: which tenant, which module
 *		instance, which export, and how its SQL arguments map to C
 *		(pl_bind.c builds it, pl_call.c runs it).
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_FUNCTION_H
#define PL_FUNCTION_H

#include "access/xact.h"
#include "fmgr.h"
#include "storage/itemptr.h"
#include "utils/elog.h"

#include "pl_cache.h"

typedef struct PlFunction
{
	Oid			fn_oid;			/* hash key */
	/* what every call reads, together */
	bool		valid;
	bool		scalar;			/* arguments and result all scalars:
								 * pl_function_call_scalar through `call` */
	bool		strict;
	int			nargs;
	tmebox_type retkind;
	uint64		generation;		/* pl_cache_generation when bound */
	PlInstance *pi;
	tmebox_prepared call;		/* scalar: the runtime's prepared call */
	/* the rest */
	TransactionId fn_xmin;		/* pg_proc row it was bound from */
	ItemPointerData fn_tid;
	char		name[NAMEDATALEN];
	char		tenant[NAMEDATALEN];
	char		module[PL_MODULE_KEYLEN];
	int			export_index;
	Oid			argtypes[TMEBOX_MAX_ARGS];
	tmebox_type argkinds[TMEBOX_MAX_ARGS];
	Oid			rettype;
} PlFunction;

/*
 * The function bound in fn_extra, when nothing has made bindings stale
 * since it was bound (the per-call test; pl_function_get does the rest).
 */
static inline PlFunction *
pl_function_cached(FmgrInfo *flinfo)
{
	PlFunction *pf = (PlFunction *) flinfo->fn_extra;

	if (likely(pf != NULL && pf->valid && !pl_cache_stale &&
			   pf->generation == pl_cache_generation))
		return pf;
	return NULL;
}

/* pl_types.c */
extern bool pl_type_kind(Oid typid, bool is_result, tmebox_type *kind);
extern const char *pl_type_cname(tmebox_type kind, bool is_result);

/* pl_bind.c */
extern PlFunction *pl_function_get(FmgrInfo *flinfo);
extern void pl_function_validate(Oid fn_oid, bool check_body);
extern void pl_inline_run(const char *source);

/* pl_call.c */
extern Datum pl_function_call(PlFunction *pf, FunctionCallInfo fcinfo);
extern void pl_call_init(void);
extern void pl_call_prepare_slow(TimestampTz stmt);
extern void pl_raise_fault(const char *what, PlInstance *pi, const tmebox_fault *fault);
extern PlInstance *pl_current_pi;
extern bool pl_signals_installed;
extern TimestampTz pl_signals_checked_at;

/*
 * Before a sandbox call: the runtime's interrupt handlers must be in place
 * (cancel, statement_timeout and termination stop sandboxed loops through
 * them).  Installed on first use, checked again once per statement (whoever
 * replaced one, another extension, would leave loops uninterruptible);
 * the per-call cost is this compare.
 */
static inline void
pl_call_prepare(void)
{
	TimestampTz stmt = GetCurrentStatementStartTimestamp();

	if (unlikely(!pl_signals_installed || stmt != pl_signals_checked_at))
		pl_call_prepare_slow(stmt);
}

StaticAssertDecl(SIZEOF_DATUM == 8 && FLOAT8PASSBYVAL,
				 "pl_function_call_scalar passes Datums as 64-bit register images");

/*
 * pf->scalar: every argument and the result a scalar.  A Datum of a
 * by-value type holds the value in its low bytes, which is what
 * tmebox_call_prepared takes and gives back: no marshalling.  A NULL
 * argument (non-STRICT functions only) is passed as 0, its flag as one of
 * the extra bool arguments.  Inline: this is the whole per-row path of the
 * call handler.
 */
static inline Datum
pl_function_call_scalar(PlFunction *pf, FunctionCallInfo fcinfo)
{
	/*
	 * A fault report is 4 kB; on the stack it would push every row's call
	 * frames that much deeper.  The backend runs one call at a time (the
	 * runtime refuses nested ones) and the report is used at once.
	 */
	static tmebox_fault fault;
	uint64_t	args[TMEBOX_PREPARED_MAX_ARGS];
	uint64_t	r;
	int			i;

	for (i = 0; i < pf->nargs; i++)
		args[i] = fcinfo->args[i].isnull ? 0 : (uint64_t) fcinfo->args[i].value;
	if (!pf->strict)
		for (i = 0; i < pf->nargs; i++)
			args[pf->nargs + i] = fcinfo->args[i].isnull;

	pl_call_prepare();
	pf->pi->calls++;
	pl_current_pi = pf->pi;
	if (unlikely(tmebox_call_prepared(&pf->call, args, &r, &fault) != 0))
		pl_raise_fault(pf->name, pf->pi, &fault);

	/*
	 * r is already the Datum of the result (bool 0/1, integers
	 * sign-extended, a double's bits; void 0) except for float4, whose
	 * Datum is its bits sign-extended from 32 (Float4GetDatum).
	 */
	if (pf->retkind == TMEBOX_T_F32)
		return Int32GetDatum((int32) (uint32) r);
	return (Datum) r;
}

#endif							/* PL_FUNCTION_H */
