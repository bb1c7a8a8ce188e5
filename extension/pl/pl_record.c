/*-------------------------------------------------------------------------
 *
 * pl_record.c
 *		`record` arguments and results as dynamic rows (tmebox_abi.h value
 *		types ROW and ROWS; the image is pl_row.c's): a record argument of
 *		any row type (a table's, a composite type's, an anonymous ROW(...))
 *		becomes the image of its own tuple descriptor; a record result, or
 *		each row of a set of records, is checked against the caller's
 *		column definition list and becomes a tuple of it.
 *
 * Invariants kept here:
 *	- An argument's descriptor is the one its HeapTupleHeader names (type
 *	  and typmod, lookup_rowtype_tupdesc: anonymous records included), held
 *	  only while its image is built.
 *	- A result is the runtime's copy of the view (rt_dynrow.c: bounded by
 *	  the view and MaxAllocSize); nothing in it is trusted.  Its shape is
 *	  checked first: as many columns as the caller's descriptor (a
 *	  dropped column of the row skipped, as PostgreSQL matches live
 *	  columns by position), each live non-NULL column either of the column's SQL
 *	  type or, when the row does not name one (sqltype 0: tmebox_row_new),
 *	  of the value type the column travels as, or a text form: 42804
 *	  otherwise, as PL/pgSQL says it.  Then every byte by
 *	  pl_row_from_image (22P03, or the column type's own SQLSTATE).
 *	- A record result in a select list without a column definition list
 *	  (SELECT f(), as PL/pgSQL allows) is an anonymous record whose type
 *	  comes from the returned row: its live columns' SQL types (a named
 *	  type must exist and be no pseudo-type; sqltype 0: the value type's
 *	  own, text for a text form or a NULL) and names (none: f1, f2...),
 *	  each checked (pl_row_image_desc), then the same shape and value
 *	  checks.  Every distinct shape is blessed into the session's record
 *	  type cache, which PostgreSQL never shrinks and which belongs to no
 *	  tenant: at most PL_RECORD_ANON_TYPES new ones per session (54000).
 *	  Other callers that expect no row type (a FROM without a list) get
 *	  PostgreSQL's own error, before anything is read.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"

#include "pl_function.h"
#include "pl_record.h"
#include "pl_row.h"

void
pl_record_in(Datum d, tmebox_value *v)
{
	HeapTupleHeader th = DatumGetHeapTupleHeader(d);
	TupleDesc	td = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th),
											HeapTupleHeaderGetTypMod(th));
	HeapTupleData tup;
	uint32		size;

	tup.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tup.t_self);
	tup.t_tableOid = InvalidOid;
	tup.t_data = th;
	v->isnull = false;
	v->v.buf.data = pl_row_image_tuple(td, &tup, &size);
	v->v.buf.len = size;
	ReleaseTupleDesc(td);
}

/* Anonymous record types a session may register through tmebox results. */
#define PL_RECORD_ANON_TYPES 1000

static int32 pl_record_anon_typmod = -1;	/* the highest seen */
static int	pl_record_anon_new = 0;
static int32 pl_record_anon[PL_RECORD_ANON_TYPES];	/* their typmods */

TupleDesc
pl_record_result_desc(PlFunction *pf, FunctionCallInfo fcinfo)
{
	TupleDesc	td;
	TypeFuncClass c = get_call_result_type(fcinfo, NULL, &td);

	if (c == TYPEFUNC_RECORD && fcinfo->resultinfo == NULL)
		return NULL;			/* SELECT f(): the row's own type */
	if (c != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	return BlessTupleDesc(td);
}

/* The shape check of the file's header comment (42804). */
static void
pl_record_check_shape(TupleDesc td, const char *img, uint64 size, uint32 row,
					  const char *what)
{
	uint32		ncols;

	if (size < TMEBOX_ROW_HDR)
		return;					/* pl_row_from_image: 22P03 */
	memcpy(&ncols, img, sizeof(ncols));
	if (ncols != (uint32) td->natts)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("returned record type does not match expected record type"),
				 errdetail("Function \"%s\" returned a row of %u columns%s; the query expects %d.",
						   what, ncols, row > 0 ? psprintf(" (row %u)", row) : "", td->natts),
				 errhint("Make one column per column of the column definition list (tmebox_row_new).")));
	if (TMEBOX_ROW_HDR + (uint64) TMEBOX_COL_SIZE * ncols > size)
		return;					/* pl_row_from_image: 22P03 */
	for (int i = 0; i < td->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(td, i);
		uint32		desc[6];
		uint16		tf[2];
		tmebox_type kind;

		if (att->attisdropped)
			continue;
		memcpy(desc, img + TMEBOX_ROW_HDR + (size_t) TMEBOX_COL_SIZE * i, TMEBOX_COL_SIZE);
		memcpy(tf, &desc[4], sizeof(tf));
		if (tf[1] & (TMEBOX_COL_NULL | TMEBOX_COL_TEXT))
			continue;			/* NULL, or parsed by the column's type */
		if (desc[3] == att->atttypid)
			continue;
		kind = pl_row_kind(att->atttypid);
		if (desc[3] == InvalidOid && kind != TMEBOX_T_VOID && tf[0] == (uint16) kind)
			continue;
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("returned record type does not match expected record type"),
				 desc[3] != InvalidOid ?
				 errdetail("Function \"%s\" returned type %s in column %d%s; column \"%s\" of the query is of type %s.",
						   what, format_type_extended(desc[3], -1, FORMAT_TYPE_ALLOW_INVALID),
						   i + 1, row > 0 ? psprintf(" of row %u", row) : "",
						   NameStr(att->attname), format_type_be(att->atttypid)) :
				 errdetail("Function \"%s\" returned value type %s in column %d%s; column \"%s\" of the query is of type %s (%s).",
						   what, tf[0] < TMEBOX_T_COUNT ? tmebox_type_code((tmebox_type) tf[0]) : "?",
						   i + 1, row > 0 ? psprintf(" of row %u", row) : "",
						   NameStr(att->attname), format_type_be(att->atttypid),
						   kind == TMEBOX_T_VOID ? "its text form" : tmebox_type_code(kind))));
	}
}

/*
 * Dropped columns of the returned image (TMEBOX_COL_DROPPED: a table's row
 * passed back) are skipped, as PostgreSQL matches rows by position over
 * live columns: their descriptors are removed from img (the host's copy)
 * and its count lowered.  Offsets stay valid (they count from the block's
 * start and lie past the old, longer descriptor table).  Not when td
 * itself has dropped columns (then positions are compared as they are).
 */
static void
pl_record_skip_dropped(TupleDesc td, char *img, uint64 size)
{
	uint32		ncols,
				k = 0;

	if (size < TMEBOX_ROW_HDR)
		return;
	memcpy(&ncols, img, sizeof(ncols));
	if (TMEBOX_ROW_HDR + (uint64) TMEBOX_COL_SIZE * ncols > size)
		return;
	for (int i = 0; i < td->natts; i++)
		if (TupleDescAttr(td, i)->attisdropped)
			return;
	for (uint32 i = 0; i < ncols; i++)
	{
		char	   *d = img + TMEBOX_ROW_HDR + (size_t) TMEBOX_COL_SIZE * i;
		uint16		flags;

		memcpy(&flags, d + 18, sizeof(flags));
		if (flags & TMEBOX_COL_DROPPED)
			continue;
		if (k != i)
			memmove(img + TMEBOX_ROW_HDR + (size_t) TMEBOX_COL_SIZE * k, d, TMEBOX_COL_SIZE);
		k++;
	}
	memcpy(img, &k, sizeof(k));
}

void
pl_record_values(TupleDesc td, const tmebox_value *v, uint32 row, Datum *values,
				 bool *nulls, const char *what)
{
	if (v->isnull)
	{
		/* a NULL row of a set: every column NULL, as PostgreSQL makes it */
		for (int i = 0; i < td->natts; i++)
		{
			values[i] = (Datum) 0;
			nulls[i] = true;
		}
		return;
	}
	/* the runtime's copy, the host's own: changed in place */
	pl_record_skip_dropped(td, unconstify(void *, v->v.buf.data), v->v.buf.len);
	pl_record_check_shape(td, v->v.buf.data, v->v.buf.len, row, what);
	pl_row_from_image(td, v->v.buf.data, v->v.buf.len, values, nulls, what);
}

/* The blessed descriptor of an anonymous record result (header comment). */
static TupleDesc
pl_record_anonymous_desc(const tmebox_value *v, const char *what)
{
	TupleDesc	td = pl_row_image_desc(v->v.buf.data, v->v.buf.len, what);

	if (pl_record_anon_new >= PL_RECORD_ANON_TYPES)
	{
		/* only a shape registered already (blessing it registers nothing) */
		bool		known = false;

		for (int i = 0; i < PL_RECORD_ANON_TYPES && !known; i++)
		{
			TupleDesc	old = lookup_rowtype_tupdesc(RECORDOID, pl_record_anon[i]);

			known = equalTupleDescs(td, old);
			ReleaseTupleDesc(old);
		}
		if (!known)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("sandboxed functions registered %d anonymous record types in this session",
							PL_RECORD_ANON_TYPES),
					 errdetail("Function \"%s\" returned a record of yet another shape.", what),
					 errhint("Call it with a column definition list, or return a composite type.")));
		return BlessTupleDesc(td);
	}
	td = BlessTupleDesc(td);
	if (td->tdtypmod > pl_record_anon_typmod)
	{
		pl_record_anon_typmod = td->tdtypmod;
		pl_record_anon[pl_record_anon_new++] = td->tdtypmod;
	}
	return td;
}

Datum
pl_record_out(TupleDesc td, const tmebox_value *v, const char *what)
{
	Datum	   *values;
	bool	   *nulls;

	if (td == NULL)
		td = pl_record_anonymous_desc(v, what);
	values = palloc(sizeof(Datum) * Max(td->natts, 1));
	nulls = palloc(sizeof(bool) * Max(td->natts, 1));
	pl_record_values(td, v, 0, values, nulls, what);
	return HeapTupleGetDatum(heap_form_tuple(td, values, nulls));
}

void
pl_record_put_set(ReturnSetInfo *rsinfo, const tmebox_value *result, const char *what)
{
	TupleDesc	td = rsinfo->setDesc;
	const tmebox_value *rows = result->v.buf.data;
	Datum	   *values = palloc(sizeof(Datum) * Max(td->natts, 1));
	bool	   *nulls = palloc(sizeof(bool) * Max(td->natts, 1));
	MemoryContext rowcxt;
	MemoryContext oldcxt;

	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "tmebox record", ALLOCSET_SMALL_SIZES);
	oldcxt = MemoryContextSwitchTo(rowcxt);
	for (uint32 r = 0; r < result->v.buf.len; r++)
	{
		CHECK_FOR_INTERRUPTS();
		pl_record_values(td, &rows[r], r + 1, values, nulls, what);
		tuplestore_putvalues(rsinfo->setResult, td, values, nulls);
		MemoryContextReset(rowcxt);
	}
	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(rowcxt);
}
