/*-------------------------------------------------------------------------
 *
 * pl_function.h
 *		A tmebox function bound to its sandbox: which tenant, which module
 *		instance, which export, and how its SQL arguments map to C
 *		(pl_bind.c builds it; pl_call.c and pl_function_call_scalar below
 *		run it through pl_invoke, pl_invoke.h).
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
#include "pl_callbacks.h"
#include "pl_invoke.h"

typedef struct PlFunction
{
	Oid			fn_oid;			/* hash key */
	/* what every call reads, together */
	bool		callable;		/* valid && !proc_changed: the per-call test
								 * (pl_function_cached) reads one flag */
	bool		valid;			/* bound: every field below is set */
	bool		scalar;			/* arguments and result all scalars:
								 * pl_function_call_scalar through `call` */
	bool		bytes;			/* scalars and byte strings read in place:
								 * pl_function_call_bytes (pl_bytes.c) */
	bool		trigger;		/* RETURNS trigger: pl_trigger.c, through
								 * `call` too (never `scalar`) */
	bool		strict;
	bool		readonly;		/* STABLE or IMMUTABLE: its statements run
								 * read-only (pl_spi.c) */
	bool		retset;			/* RETURNS SETOF / TABLE: retkind is the
								 * array of its element type (pl_srf.c) */
	int			nargs;
	tmebox_type retkind;
	bool		retcheck;		/* results are checked: pl_result_check
								 * (a set's elements: pl_srf.c) */
	bool		retdomain;		/* rettype is a domain */
	int32		rettypmod;		/* the domain's typmod (numeric(p,s)), or -1 */
	uint64		generation;		/* pl_cache_generation when its binding
								 * started (pl_bind.c: current only while
								 * nothing moved it since) */
	PlInstance *pi;
	tmebox_prepared call;		/* scalar, trigger: the runtime's prepared
								 * call; bytes: its byte-string one */
	/* the rest */
	TransactionId fn_xmin;		/* pg_proc row it was bound from */
	ItemPointerData fn_tid;
	uint32		fn_hash;		/* its PROCOID syscache hash value */
	bool		proc_changed;	/* an invalidation of that hash value since:
								 * compare the row again */
	bool		array_nulls;	/* its own SET tmebox.array_nulls = on: array
								 * arguments may have NULL elements and
								 * several dimensions (pl_call.c) */
	char		name[NAMEDATALEN];
	char		tenant[NAMEDATALEN];
	char		module[PL_MODULE_KEYLEN];
	int			export_index;
	Oid			argtypes[TMEBOX_MAX_ARGS];
	tmebox_type argkinds[TMEBOX_MAX_ARGS];
	Oid			argbase[TMEBOX_MAX_ARGS];	/* argtypes, domains resolved */
	Oid			rettype;		/* a set's: its element type */
	Oid			retbase;		/* rettype, or its domain's base type */
	Oid			retelem;		/* retbase's element type (an array), or
								 * InvalidOid: looked up once, at bind time */
	MemoryContext domain_cxt;	/* domain_check's cache, NULL until used */
	void	   *domain_extra;
	int			domain_depth;	/* domain_extra in use (a CHECK may call again) */
	/* rows as C structs (pl_struct.c), allocated in struct_cxt: */
	bool		structs;		/* some argument or the result is a row */
	struct PlStruct *argstruct[TMEBOX_MAX_ARGS];	/* NULL: no row */
	struct PlStruct *retstruct; /* a row result's, or a set's rows' */
	MemoryContext struct_cxt;	/* NULL until a binding has rows */
} PlFunction;

/*
 * The function bound in fn_extra, when nothing has made its binding stale
 * since it was bound: no invalidation of its own pg_proc row (callable,
 * cleared by pl_bind.c's callback), none of tmebox's tables, schemas or
 * roles (pl_cache_stale), no sandbox dropped (generation: pl_cache.c bumps
 * it before it frees an instance, so pf->pi and pf->call are never used
 * once their instance may be gone).  The per-call test; pl_function_get
 * does the rest.  An FmgrInfo may outlive statements and transactions (a
 * domain CHECK's cached expression): this test is all that stands
 * between it and a binding made stale meanwhile.
 */
static inline PlFunction *
pl_function_cached(FmgrInfo *flinfo)
{
	PlFunction *pf = (PlFunction *) flinfo->fn_extra;

	if (likely(pf != NULL && pf->callable && !pl_cache_stale &&
			   pf->generation == pl_cache_generation))
		return pf;
	return NULL;
}

/* pl_types.c */
typedef enum PlTypeUse
{
	PL_TYPES_ARGS,				/* argument types */
	PL_TYPES_RESULT,			/* result types (void too) */
	PL_TYPES_SET				/* element types of RETURNS SETOF / TABLE */
} PlTypeUse;

extern bool pl_type_kind(Oid typid, bool is_result, tmebox_type *kind);
extern bool pl_type_set_kind(Oid typid, tmebox_type *kind);
extern const char *pl_type_cname(tmebox_type kind, bool is_result);
extern Oid	pl_type_oid(tmebox_type kind);
extern bool pl_type_has_range(Oid base);
extern void pl_type_layout(Oid typid, int16 *typlen, bool *typbyval, char *typalign);
extern const char *pl_type_list(PlTypeUse use);
extern void pl_type_check_result(Oid base, Datum d, const char *fname);
extern Datum pl_type_apply_typmod(Oid base, Datum d, int32 typmod);
extern void pl_scalar_in(tmebox_type kind, Datum d, tmebox_value *v);
extern Datum pl_scalar_out(tmebox_type kind, const tmebox_value *v);
extern void pl_buf_in(Oid base, Datum d, tmebox_value *v);
extern bool pl_type_alt_kind(Oid base, tmebox_type ckind);
extern void pl_varlena_in(Datum d, tmebox_value *v);
extern Datum pl_buf_out(Oid base, char *block, uint32 len, const char *fname);
struct ArrayType;
extern void pl_bufarray_in(struct ArrayType *a, tmebox_value *v);
extern Datum pl_bufarray_elem_out(Oid elembase, const tmebox_value *ev, const char *fname);
extern Datum pl_bufarray_out(Oid elembase, const tmebox_value *r, const char *fname);

/* pl_numeric.c */
extern void pl_numeric_in(Datum d, tmebox_value *v);
extern Datum pl_numeric_out(const char *s, uint32 len, const char *fname);

/* pl_shape.c */
extern void pl_check_proc_shape(HeapTuple procTup);

/* pl_body.c */
extern void pl_body_bind(PlFunction *pf, const TpgTenantRow *tenant, HeapTuple procTup,
						 const char *body, bool record);
extern void pl_body_inline_object(const char *body, char **object, size_t *len,
								  const char **export);
extern char *pl_display_name(const char *fname);
extern void pl_report_compile_error(const char *what, const char *diagnostics);

/* pl_bind.c */
extern PlFunction *pl_function_get(FmgrInfo *flinfo);
extern void pl_function_validate(Oid fn_oid, bool check_body);
extern void pl_inline_run(const char *source);
extern bool pl_function_structs_current(const PlFunction *pf);
extern PlFunction *pl_function_rebind(FmgrInfo *flinfo, PlFunction *pf);

/* pl_call.c */
extern Datum pl_function_call(PlFunction *pf, FunctionCallInfo fcinfo);
extern void pl_function_invoke(PlFunction *pf, FunctionCallInfo fcinfo,
							   tmebox_value *result, PlResultSpace *rs);
extern Datum pl_result_check(PlFunction *pf, Datum result, bool isnull);
extern Datum pl_array_shaped_out(tmebox_type kind, const char *data, uint32 len,
								 const char *fname);
extern void pl_shape_write(char *s, int ndim, const int *dims, const int *lbs, bool has_nulls);
extern void pl_shape_read(const char *s, uint32 n, const char *fname, int *ndim, int *dims,
						  int *lbs);
extern Datum pl_array_out(tmebox_type kind, const char *data, uint32 n);

/* pl_trigger.c */
extern void pl_trigger_bind_shape(PlFunction *pf);
extern void pl_trigger_check_signature(PlFunction *pf, const tmebox_signature *sig);
extern Datum pl_function_call_trigger(PlFunction *pf, FunctionCallInfo fcinfo);

/* pl_bytes.c */
extern bool pl_bytes_eligible(const PlFunction *pf);

/* pl_srf.c */
extern Datum pl_function_call_set(PlFunction *pf, FunctionCallInfo fcinfo);

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

/*
 * pf->bytes (pl_bytes.c decides at bind time): the call, its arguments
 * read in place; anything needing a copy (compressed or stored out of
 * line) takes the general call.  Inline: the call handler's per-row path
 * for text in, text out.
 */
static pg_attribute_always_inline Datum
pl_function_call_bytes(PlFunction *pf, FunctionCallInfo fcinfo)
{
	tmebox_value args[TMEBOX_MAX_ARGS];
	tmebox_value result;
	PlResultSpace rs = {.kind = pf->retkind, .huge = false, .block = NULL};
	PlInvoke	c = {
		.what = pf->name,
		.pi = pf->pi,
		.prepared = &pf->call,	/* tmebox_prepare_bytes's (pl_bind.c) */
		.bytes = true,
		.args = args,
		.result = &result,
		.result_alloc = pl_result_alloc,
		.alloc_arg = &rs,
	};
	int			i;

	for (i = 0; i < pf->nargs; i++)
	{
		Datum		d = fcinfo->args[i].value;
		tmebox_value *v = &args[i];

		v->v.i = 0;
		v->isnull = false;
		if (fcinfo->args[i].isnull)
		{
			/* as pl_call.c's pl_arg_in: a NULL pointer, or a scalar 0 */
			v->isnull = tmebox_type_by_ref(pf->argkinds[i]);
			continue;
		}
		if (tmebox_type_by_ref(pf->argkinds[i]))
		{
			struct varlena *t = (struct varlena *) DatumGetPointer(d);

			if (unlikely(VARATT_IS_EXTERNAL(t) || VARATT_IS_COMPRESSED(t)))
				return pl_function_call(pf, fcinfo);	/* needs a copy */
			v->v.buf.data = VARDATA_ANY(t);
			v->v.buf.len = VARSIZE_ANY_EXHDR(t);
		}
		else
			pl_scalar_in(pf->argkinds[i], d, v);
	}
	if (!pf->strict)
		for (i = 0; i < pf->nargs; i++)
		{
			args[pf->nargs + i].isnull = false;
			args[pf->nargs + i].v.i = 0;
			args[pf->nargs + i].v.b = fcinfo->args[i].isnull;
		}

	pl_invoke(&c);

	if (tmebox_type_class_of(pf->retkind) != TMEBOX_CLASS_BUF)
		return pl_scalar_out(pf->retkind, &result);
	if (result.isnull)
	{
		fcinfo->isnull = true;
		return (Datum) 0;
	}
	if (rs.block == NULL)
		rs.block = palloc0(VARHDRSZ + 1);	/* empty result */
	return pl_buf_out(pf->retbase, rs.block, result.v.buf.len, pf->name);
}

#endif							/* PL_FUNCTION_H */
