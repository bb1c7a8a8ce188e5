/*-------------------------------------------------------------------------
 *
 * pl_record.h
 *		`record` arguments and results as dynamic rows (pl_record.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_RECORD_H
#define PL_RECORD_H

#include "fmgr.h"
#include "access/tupdesc.h"
#include "nodes/execnodes.h"

#include "pl_function.h"

/* A record argument (not NULL) as the image of its own row type, palloc'd
 * in the current memory context: v.buf.data the image, v.buf.len its size. */
extern void pl_record_in(Datum d, tmebox_value *v);

/* The caller's row type for a record result (blessed), or PostgreSQL's
 * error when the call has none (no column definition list). */
extern TupleDesc pl_record_result_desc(PlFunction *pf, FunctionCallInfo fcinfo);

/* A returned row (the runtime's copy; NULL: all columns NULL) checked
 * against td (42804, 22P03, the types' own SQLSTATEs) into values/nulls
 * (row: its number in a set for messages, 0 for a single row). */
extern void pl_record_values(TupleDesc td, const tmebox_value *v, uint32 row,
							 Datum *values, bool *nulls, const char *what);

/* A returned row as a composite Datum of td. */
extern Datum pl_record_out(TupleDesc td, const tmebox_value *v, const char *what);

/* A returned set of rows (ROWS: the runtime's copy) into rsinfo's
 * tuplestore, each row checked against rsinfo->setDesc. */
extern void pl_record_put_set(ReturnSetInfo *rsinfo, const tmebox_value *result,
							  const char *what);

#endif							/* PL_RECORD_H */
