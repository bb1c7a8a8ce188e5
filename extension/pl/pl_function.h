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

#include "fmgr.h"
#include "storage/itemptr.h"

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
extern Datum pl_function_call_scalar(PlFunction *pf, FunctionCallInfo fcinfo);
extern void pl_call_init(void);
extern void pl_call_prepare(void);
extern void pl_raise_fault(const char *what, PlInstance *pi, const tmebox_fault *fault);

#endif							/* PL_FUNCTION_H */
