/*-------------------------------------------------------------------------
 *
 * pl_srf.c
 *		Set-returning functions: RETURNS SETOF t, or RETURNS TABLE with one
 *		column of type t, for a scalar or byte-string t.  The C function
 *		returns the array of t's value type (pl_type_set_kind:
 *		tmebox_array_i32 * for int4 and date, tmebox_array_buf * for text,
 *		varchar, bytea, ...); each element becomes one row (a NULL element
 *		of an array of buffers a NULL row), a NULL array the empty set.
 *		The rows go into a tuplestore in materialize mode.
 *
 * Invariants kept here:
 *	- The call is a general one (pl_function_invoke, through pl_invoke):
 *	  arguments marshalled, faults mapped, the array copied out of the
 *	  view by the runtime after its bounds checks.
 *	- Memory: the array is built in the sandbox, so the tenant's memory
 *	  limit bounds it (53200 past it); the host's copy is as large and is
 *	  freed once the rows are stored; the rows go into a tuplestore of
 *	  work_mem, which spills to a temporary file beyond it.
 *	- Every element is checked like a result of t before it becomes a
 *	  row: in range for dates and times (22008), a valid value of a
 *	  byte-string type (pl_buf_out: 22021 for text with a NUL or invalid
 *	  encoding), meeting the domain when t is one (pl_result_check).
 *	- Materialize mode only: a caller that cannot take it (no
 *	  ReturnSetInfo, SFRM_Materialize not allowed, no expected tuple
 *	  descriptor) gets 0A000, never a row-at-a-time protocol we do not
 *	  implement.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "parser/parse_coerce.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "pl_function.h"
#include "pl_record.h"
#include "pl_struct.h"

/* The caller must take a tuplestore (every SQL caller of PostgreSQL 15 does). */
static void
pl_srf_check_caller(PlFunction *pf, FunctionCallInfo fcinfo)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function \"%s\" called in context that cannot accept a set",
						pf->name)));
	if (!(rsinfo->allowedModes & SFRM_Materialize) || rsinfo->expectedDesc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("materialize mode required, but it is not allowed in this context"),
				 errdetail("tmebox set-returning functions return all their rows at once (materialize mode)."),
				 errhint("Call \"%s\" in FROM or in a SELECT list.", pf->name)));
}

/*
 * The rows of a set of rows (RETURNS SETOF composite, TABLE with several
 * columns): result the runtime's copy, n rows of the struct's fields;
 * each row checked field by field (pl_struct_values) and stored.  A
 * memory context per row keeps the host's copies of one row at a time.
 */
static void
pl_srf_put_structs(PlFunction *pf, ReturnSetInfo *rsinfo, const tmebox_value *result)
{
	const PlStruct *s = pf->retstruct;
	const tmebox_value *fv = result->v.buf.data;
	int			natts = rsinfo->setDesc->natts;
	Datum	   *values = palloc(sizeof(Datum) * Max(natts, 1));
	bool	   *nulls = palloc(sizeof(bool) * Max(natts, 1));
	MemoryContext rowcxt;
	MemoryContext oldcxt;

	if (natts != s->tupdesc->natts)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("function return row and query-specified return row do not match"),
				 errdetail("The query expects %d columns, \"%s\" returns %d.",
						   natts, pf->name, s->tupdesc->natts)));

	/*
	 * Column by column, as PostgreSQL's tupledesc_match (execSRF.c): the
	 * query's row was fixed when it started, the struct's when the
	 * function was bound, and an ALTER TYPE between the two (a cursor
	 * declared, the type altered, then fetched) made them differ: values
	 * built for a text column were stored as int8 and the other way round
	 * (red team s11 redD F2: a host address leaked, any address read).
	 */
	for (int i = 0; i < natts; i++)
	{
		Form_pg_attribute dst = TupleDescAttr(rsinfo->setDesc, i);
		Form_pg_attribute src = TupleDescAttr(s->tupdesc, i);

		if (dst->attisdropped != src->attisdropped ||
			(!dst->attisdropped && !IsBinaryCoercible(src->atttypid, dst->atttypid)) ||
			(dst->attisdropped && (dst->attlen != src->attlen || dst->attalign != src->attalign)))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("function return row and query-specified return row do not match"),
					 errdetail("\"%s\" returns type %s at ordinal position %d, but the query expects %s.",
							   pf->name,
							   src->attisdropped ? "(dropped)" : format_type_be(src->atttypid),
							   i + 1,
							   dst->attisdropped ? "(dropped)" : format_type_be(dst->atttypid)),
					 errhint("The row type changed after the query started; run the query again.")));
	}
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "tmebox row", ALLOCSET_SMALL_SIZES);
	oldcxt = MemoryContextSwitchTo(rowcxt);
	for (uint32 r = 0; r < result->v.buf.len; r++)
	{
		CHECK_FOR_INTERRUPTS();
		pl_struct_values(s, fv + (size_t) r * s->nfields, values, nulls, pf->name);
		if (pf->retcheck)
			pl_result_check(pf, HeapTupleGetDatum(heap_form_tuple(s->tupdesc, values, nulls)),
							false);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextReset(rowcxt);
	}
	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(rowcxt);
}

/*
 * Run set-returning pf for fcinfo: its rows in a tuplestore handed to the
 * caller through fcinfo->resultinfo.  Returns (Datum) 0, as every function
 * in materialize mode does.
 */
Datum
pl_function_call_set(PlFunction *pf, FunctionCallInfo fcinfo)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	tmebox_value result;
	/*
	 * A set of scalars is copied at its size in the view (at most 4 GiB):
	 * huge.  A set of byte strings costs the host 24 bytes per element
	 * pointer on top of the bytes (red team s6 F1: 50M NULL pointers were
	 * 1.2 GB), a set of rows 24 bytes per field: they keep the 1 GB cap of
	 * every other result.
	 */
	bool		bufs = tmebox_type_class_of(pf->retkind) == TMEBOX_CLASS_BUFARRAY;
	bool		structs = tmebox_type_class_of(pf->retkind) == TMEBOX_CLASS_STRUCTS;
	bool		records = tmebox_type_class_of(pf->retkind) == TMEBOX_CLASS_ROWS;
	PlResultSpace rs = {.huge = !bufs && !structs && !records};
	tmebox_type elem = tmebox_type_elem(pf->retkind);
	unsigned	width = tmebox_type_width(pf->retkind);
	bool		isnull = false;

	pl_srf_check_caller(pf, fcinfo);
	pl_function_invoke(pf, fcinfo, &result, &rs);

	/* the tuplestore (work_mem) and its descriptor, in the query's context */
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (structs && !result.isnull)
		pl_srf_put_structs(pf, rsinfo, &result);
	else if (records && !result.isnull)
		pl_record_put_set(rsinfo, &result, pf->name);
	else if (!result.isnull)
	{
		const char *data = result.v.buf.data;
		uint32		n = result.v.buf.len & ~TMEBOX_ARRAY_SHAPED;
		const char *shape = NULL;

		if (!bufs && (result.v.buf.len & TMEBOX_ARRAY_SHAPED))
		{
			/* scalars with a shape: its dimensions flattened, NULL rows */
			uint32		has_nulls;

			shape = data + TMEBOX_ARRAY_SHAPE_AT((Size) n * width);
			memcpy(&has_nulls, shape + 4, 4);
			if (!has_nulls)
				shape = NULL;
		}
		for (uint32 i = 0; i < n; i++)
		{
			tmebox_value ev;
			Datum		d = (Datum) 0;

			CHECK_FOR_INTERRUPTS();
			if (bufs)
			{
				/* byte strings: each validated, a NULL element a NULL row */
				const tmebox_value *bv = (const tmebox_value *) data + i;

				isnull = bv->isnull;
				if (!isnull)
					d = pl_bufarray_elem_out(pf->retbase, bv, pf->name);
			}
			else if (shape != NULL && shape[TMEBOX_ARRAY_SHAPE_HDR + i] != 0)
				isnull = true;
			else
			{
				isnull = false;
				tmebox_scalar_load(elem, data + (size_t) i * width, &ev);
				d = pl_scalar_out(elem, &ev);
			}
			if (pf->retcheck)
				d = pl_result_check(pf, d, isnull);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &d, &isnull);
			if (bufs && !isnull)
				pfree(DatumGetPointer(d));
		}
	}
	if (rs.block != NULL)
		pfree(rs.block);
	return (Datum) 0;
}
