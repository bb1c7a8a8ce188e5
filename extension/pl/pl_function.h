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

#include "access/htup.h"
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
	bool		retdomain;		/* rettype is a domain: results are checked */
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
	Oid			retbase;		/* rettype, or its domain's base type */
	MemoryContext domain_cxt;	/* domain_check's cache, NULL until used */
	void	   *domain_extra;
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
extern Oid	pl_type_oid(tmebox_type kind);
extern void pl_scalar_in(tmebox_type kind, Datum d, tmebox_value *v);
extern Datum pl_scalar_out(tmebox_type kind, const tmebox_value *v);

/* pl_shape.c */
extern void pl_check_proc_shape(HeapTuple procTup);

/* pl_bind.c */
extern PlFunction *pl_function_get(FmgrInfo *flinfo);
extern void pl_function_validate(Oid fn_oid, bool check_body);
extern void pl_inline_run(const char *source);

/* pl_call.c */
extern Datum pl_function_call(PlFunction *pf, FunctionCallInfo fcinfo);
extern void pl_call_init(void);
extern void pl_call_prepare_slow(TimestampTz stmt);
extern void pl_invoke_failed(const char *what, PlInstance *pi,
							 const tmebox_fault *fault) pg_attribute_noreturn();
extern void pl_result_domain_check(PlFunction *pf, Datum result, bool isnull);
extern PlInstance *pl_current_pi;
extern tmebox_fault pl_fault;
extern bool pl_signals_installed;
extern TimestampTz pl_signals_checked_at;

/*
 * Before a sandbox call: the runtime's interrupt handlers must be in place
 * (cancel, statement_timeout and termination stop sandboxed loops through
 * them) and every signal handler on the alternate stack.  Installed on
 * first use, checked again at each new statement (whoever replaced one,
 * another extension, would leave loops uninterruptible); the per-call cost
 * is this compare.
 */
static inline void
pl_call_prepare(void)
{
	TimestampTz stmt = GetCurrentStatementStartTimestamp();

	if (unlikely(!pl_signals_installed || stmt != pl_signals_checked_at))
		pl_call_prepare_slow(stmt);
}

/*
 * One sandbox call, as pl_invoke makes it: either the runtime's prepared
 * all-scalar call (prepared != NULL: register images in, one out) or the
 * general one (tmebox_call: tmebox_values, buffers, result allocator).
 */
typedef struct PlInvoke
{
	const char *what;			/* names the function in messages */
	PlInstance *pi;				/* charged and reset on a fault; NULL for a
								 * DO block (its caller destroys the sandbox) */
	const tmebox_prepared *prepared;
	const uint64_t *bits;
	uint64_t   *rbits;
	tmebox_instance *inst;
	int			export_index;
	const tmebox_value *args;
	tmebox_value *result;
	tmebox_alloc_fn result_alloc;
	void	   *alloc_arg;
} PlInvoke;

/*
 * THE way into a sandbox (call handler, scalar fast path, DO block): the
 * signal handlers checked, the call counted, the instance recorded for the
 * abort callback, the call, and on failure pl_invoke_failed, which maps
 * the fault to an ERROR or, when a host callback caught an ERROR of
 * PostgreSQL's own (TMEBOX_FAULT_HOST_RAISED: cancel, statement_timeout, a
 * message that could not be sent, out of memory), resets the instance and
 * rethrows that ERROR.  The callbacks run on the backend's stack (the
 * runtime's thunks switch to it) and end the call through
 * tmebox_rt_host_raised, which unwinds to the runtime's own rt_setjmp at
 * the entry: no PG_TRY per call.  Inline: with `prepared` known at the
 * call site, the per-row path is the prepared call and one test.
 */
static inline void
pl_invoke(const PlInvoke *c)
{
	int			rc;

	pl_call_prepare();
	if (c->pi != NULL)
		c->pi->calls++;
	pl_current_pi = c->pi;
	if (c->prepared != NULL)
		rc = tmebox_call_prepared(c->prepared, c->bits, c->rbits, &pl_fault);
	else
		rc = tmebox_call(c->inst, c->export_index, c->args, c->result,
						 c->result_alloc, c->alloc_arg, &pl_fault);
	if (unlikely(rc != 0))
		pl_invoke_failed(c->what, c->pi, &pl_fault);
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
	uint64_t	args[TMEBOX_PREPARED_MAX_ARGS];
	uint64_t	r;
	int			i;
	PlInvoke	c = {
		.what = pf->name,
		.pi = pf->pi,
		.prepared = &pf->call,
		.bits = args,
		.rbits = &r,
	};

	for (i = 0; i < pf->nargs; i++)
		args[i] = fcinfo->args[i].isnull ? 0 : (uint64_t) fcinfo->args[i].value;
	if (!pf->strict)
		for (i = 0; i < pf->nargs; i++)
			args[pf->nargs + i] = fcinfo->args[i].isnull;

	pl_invoke(&c);

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
