/*-------------------------------------------------------------------------
 *
 * bench_c.c
 *		LANGUAGE C peers of the tmebox call-overhead benchmark: the same
 *		work as the sandboxed functions (x + 1; reverse the bytes of a
 *		text), called through the plain fmgr interface.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(bench_c_inc);
PG_FUNCTION_INFO_V1(bench_c_rev);

/* bench_c_inc(int4) RETURNS int4: x + 1 (wraps like the sandboxed one) */
Datum
bench_c_inc(PG_FUNCTION_ARGS)
{
	int32		x = PG_GETARG_INT32(0);

	PG_RETURN_INT32((int32) ((uint32) x + 1));
}

/* bench_c_rev(text) RETURNS text: the bytes in reverse order */
Datum
bench_c_rev(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	text	   *r = (text *) palloc(VARHDRSZ + len);
	char	   *d = VARDATA(r);

	SET_VARSIZE(r, VARHDRSZ + len);
	for (int i = 0; i < len; i++)
		d[i] = s[len - 1 - i];
	PG_RETURN_TEXT_P(r);
}
