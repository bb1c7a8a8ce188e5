/*-------------------------------------------------------------------------
 *
 * pl_struct.h
 *		Rows as C structs (pl_struct.c): a composite SQL type (a named
 *		composite, a table's row type, the row of a function's OUT
 *		parameters or RETURNS TABLE columns) described as the struct a
 *		tmebox function declares for it, the struct's C text for function
 *		bodies, the check of a compiled struct's layout against the SQL
 *		type, and rows between Datums and the runtime's field values.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_STRUCT_H
#define PL_STRUCT_H

#include "access/htup.h"
#include "access/tupdesc.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"

#include "tmebox_rt.h"

struct PlStruct;

/*
 * One column of a row: a member of its struct.  A nested row's column
 * (kind STRUCT) is followed in the row's fields by its own, depth first
 * (nsub of them), as the runtime's layout lists them.
 */
typedef struct PlStructField
{
	int			attno;			/* index into its row's TupleDesc (0-based) */
	Oid			type;			/* the column's SQL type */
	Oid			base;			/* ... domains resolved */
	int32		typmod;			/* the column's (or its domain's), -1: none */
	tmebox_type kind;			/* its value type: a scalar, of class BUF
								 * (BUF, NUMERIC, INTERVAL), or STRUCT */
	const char *name;			/* the member's name: the column's */
	const char *path;			/* its name in the layout: "ROW.NAME" for a
								 * nested row's member, else name */
	struct PlStruct *sub;		/* a nested row's struct (kind STRUCT) */
	int			nsub;			/* fields after it that are the nested row's */
} PlStructField;

typedef struct PlStruct
{
	Oid			typid;			/* the composite type, RECORDOID for the
								 * row of OUT parameters / TABLE columns */
	uint64		identifier;		/* the typcache's tupDesc_identifier when
								 * described (named types: ALTER TYPE moves it) */
	TupleDesc	tupdesc;		/* blessed: rows of it can be Datums */
	const char *cname;			/* the struct's C name (bodies) */
	int			nfields;		/* live columns (dropped ones skipped), the
								 * nested rows' included: the runtime's
								 * field values of one row */
	PlStructField *fields;		/* a column i at the top: i += 1 + nsub */
	bool		checked;		/* some column has a value range or a domain */
} PlStruct;

/* The C name of the row of OUT parameters / RETURNS TABLE columns. */
#define PL_STRUCT_RESULT_NAME "result_row"

extern bool pl_struct_type(Oid typid);
extern PlStruct *pl_struct_describe(Oid typid, TupleDesc tupdesc, const char *what);
extern PlStruct *pl_struct_of_type(Oid typid, const char *what);
extern PlStruct *pl_struct_of_result(HeapTuple procTup);
extern bool pl_struct_current(const PlStruct *s);
extern void pl_struct_cdef(StringInfo buf, const PlStruct *s, bool set, List **done);
extern void pl_struct_check_layout(const PlStruct *s, const tmebox_struct_layout *l,
								   const char *cfunc, const char *fname);
extern void pl_struct_in(const PlStruct *s, Datum d, tmebox_value *v);
extern void pl_struct_values(const PlStruct *s, const tmebox_value *fv,
							 Datum *values, bool *nulls, const char *fname);
extern Datum pl_struct_out(const PlStruct *s, const tmebox_value *fv, const char *fname);

#endif							/* PL_STRUCT_H */
