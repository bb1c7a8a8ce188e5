/*-------------------------------------------------------------------------
 *
 * pl_row.h
 *		Rows between PostgreSQL and a sandbox (pl_row.c): the row image of
 *		tmebox_abi.h ("Dynamic rows"), built from a TupleDesc and Datums for the
 *		sandbox to read, and a row image that came back from the sandbox
 *		(untrusted) turned into Datums, every field checked.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_ROW_H
#define PL_ROW_H

#include "access/htup.h"
#include "access/tupdesc.h"
#include "tmebox_abi.h"

/*
 * The image of the row (values[i], nulls[i]) of tupdesc td (one column per
 * attribute, dropped ones included as TMEBOX_COL_DROPPED), palloc'd in
 * the current memory context; *size its bytes.  54000 when it would pass
 * MaxAllocSize.
 */
extern char *pl_row_image(TupleDesc td, const Datum *values, const bool *nulls,
						  uint32 *size);
/* The same for a heap tuple of td. */
extern char *pl_row_image_tuple(TupleDesc td, HeapTuple tup, uint32 *size);

/*
 * A row image img of `size` bytes, copied out of a view (nothing in it
 * trusted), as values[]/nulls[] for td (td->natts entries each, Datums
 * allocated in the current memory context).  Checks the header, every
 * descriptor, offset and length, value types (each column its own kind,
 * or BUF with TMEBOX_COL_TEXT), NULL flags, encoding and NULs of text,
 * and runs input functions (with the column's typmod), range checks and
 * domain constraints.  `what` names the function in errors (22P03 for a
 * malformed image, the type's own SQLSTATE for a bad value).
 */
/* The value type a column of SQL type typid travels as natively in an
 * image, or TMEBOX_T_VOID when it travels as its text form. */
extern tmebox_type pl_row_kind(Oid typid);

extern void pl_row_from_image(TupleDesc td, const char *img, uint64 size,
							  Datum *values, bool *nulls, const char *what);
extern void pl_row_cols_same(const char *img, uint64 size, const char *orig, uint64 osize,
							 int n, bool *same);
extern void pl_row_from_image_keep(TupleDesc td, const char *img, uint64 size,
								   const bool *keep, HeapTuple otup,
								   Datum *values, bool *nulls, const char *what);

/*
 * The parameters of a statement, as a row image from a view (nothing
 * trusted): each column's SQL type is its descriptor's sqltype when not 0
 * (the value must then be of that type's value type, or its text form,
 * parsed by the type's input function; pseudo-types refused), else the
 * value type's own (int4, text, int8[] ...; text for a text form).  The
 * count; *types, *values, *nulls palloc'd.  Checks as pl_row_from_image
 * (a malformed row: "sandboxed function passed invalid statement
 * parameters"; `what`, the function's name, in errors about a value).
 */
/* A descriptor of image img's live columns (a row returned as an anonymous
 * record): types and names from the image, every one checked. */
extern TupleDesc pl_row_image_desc(const char *img, uint64 size, const char *what);

extern int	pl_row_params(const char *img, uint64 size, Oid **types,
						  Datum **values, bool **nulls, const char *what);

#endif							/* PL_ROW_H */
