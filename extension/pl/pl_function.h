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
	TransactionId fn_xmin;		/* pg_proc row it was bound from */
	ItemPointerData fn_tid;
	uint64		generation;		/* pl_cache_generation when bound */
	bool		valid;
	char		name[NAMEDATALEN];
	char		tenant[NAMEDATALEN];
	char		module[PL_MODULE_KEYLEN];
	PlInstance *pi;
	int			export_index;
	bool		strict;
	int			nargs;
	Oid			argtypes[TMEBOX_MAX_ARGS];
	tmebox_type argkinds[TMEBOX_MAX_ARGS];
	Oid			rettype;
	tmebox_type retkind;
} PlFunction;

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
extern void pl_call_prepare(void);
extern void pl_raise_fault(const char *what, PlInstance *pi, const tmebox_fault *fault);

#endif							/* PL_FUNCTION_H */
