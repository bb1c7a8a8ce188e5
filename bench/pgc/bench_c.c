/*-------------------------------------------------------------------------
 *
 * bench_c.c
 *		LANGUAGE C peers of the tmebox call-overhead benchmark: the same
 *		work as the sandboxed functions (x + 1; reverse the bytes of a
 *		text; the integer field "x" of a jsonb; a histogram aggregate's
 *		transition and final functions; SELECT $1 + 1 through SPI with a
 *		plan kept for the session; a BEFORE ROW trigger returning NEW;
 *		round(x * 1.07, 2) of a numeric),
 *		called through the plain fmgr interface.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

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

PG_FUNCTION_INFO_V1(bench_c_vat);

/* bench_c_vat(numeric) RETURNS numeric: round(x * 1.07, 2) */
Datum
bench_c_vat(PG_FUNCTION_ARGS)
{
	static Datum rate = (Datum) 0;
	Datum		p;

	if (rate == (Datum) 0)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		rate = DirectFunctionCall3(numeric_in, CStringGetDatum("1.07"),
								   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
		MemoryContextSwitchTo(old);
	}
	p = DirectFunctionCall2(numeric_mul, PG_GETARG_DATUM(0), rate);
	return DirectFunctionCall2(numeric_round, p, Int32GetDatum(2));
}

PG_FUNCTION_INFO_V1(bench_c_jsonb_x);
PG_FUNCTION_INFO_V1(bench_c_hist_step);
PG_FUNCTION_INFO_V1(bench_c_hist_final);

/*
 * bench_c_jsonb_x(jsonb) RETURNS int8: the integer field "x", found with
 * PostgreSQL's own binary search over the object's keys.
 */
Datum
bench_c_jsonb_x(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	JsonbValue	v;

	if (!JB_ROOT_IS_OBJECT(jb) ||
		getKeyJsonValueFromContainer(&jb->root, "x", 1, &v) == NULL ||
		v.type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no number \"x\"")));
	PG_RETURN_DATUM(DirectFunctionCall1(numeric_int8, NumericGetDatum(v.val.numeric)));
}

/*
 * Histogram aggregate (x, lo, hi, nb): a bytea state of a head {int32 nb,
 * pad; float8 lo, hi} and nb + 2 int64 counts (width_bucket's numbering),
 * created in the aggregate's memory context on the first row (INITCOND
 * '') and updated in place after that, as C aggregates do.
 */
typedef struct bench_hist_head
{
	int32		nb;
	int32		pad;
	float8		lo;
	float8		hi;
} bench_hist_head;

Datum
bench_c_hist_step(PG_FUNCTION_ARGS)
{
	bytea	   *state = PG_GETARG_BYTEA_P(0);
	float8		x = PG_GETARG_FLOAT8(1);
	float8		lo = PG_GETARG_FLOAT8(2);
	float8		hi = PG_GETARG_FLOAT8(3);
	int32		nb = PG_GETARG_INT32(4);
	MemoryContext aggcxt;
	bench_hist_head *h;
	int64	   *counts;
	int32		b;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "bench_c_hist_step called in a non-aggregate context");
	if (VARSIZE(state) == VARHDRSZ)
	{
		Size		len = VARHDRSZ + sizeof(bench_hist_head) + sizeof(int64) * (nb + 2);

		if (nb < 1 || nb > 100000 || !(lo < hi))
			elog(ERROR, "hist: bad buckets");
		state = MemoryContextAllocZero(aggcxt, len);
		SET_VARSIZE(state, len);
		h = (bench_hist_head *) VARDATA(state);
		h->nb = nb;
		h->lo = lo;
		h->hi = hi;
	}
	h = (bench_hist_head *) VARDATA(state);
	counts = (int64 *) (h + 1);
	b = x < lo ? 0 : x >= hi ? nb + 1 : (int32) (nb * ((x - lo) / (hi - lo))) + 1;
	counts[b]++;
	PG_RETURN_BYTEA_P(state);
}

Datum
bench_c_hist_final(PG_FUNCTION_ARGS)
{
	bytea	   *state = PG_GETARG_BYTEA_P(0);
	int			n = VARSIZE(state) == VARHDRSZ ? 0 :
		((bench_hist_head *) VARDATA(state))->nb + 2;
	int64	   *counts = (int64 *) ((bench_hist_head *) VARDATA(state) + 1);
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = Int64GetDatum(counts[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, n, INT8OID, sizeof(int64), true, TYPALIGN_DOUBLE));
}

PG_FUNCTION_INFO_V1(bench_c_spi_inc);

/*
 * bench_c_spi_inc(int4) RETURNS int8: SELECT $1 + 1 through SPI, the plan
 * prepared once per session (SPI_keepplan), as PL/pgSQL caches it.
 */
Datum
bench_c_spi_inc(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan = NULL;
	Datum		arg = Int32GetDatum(PG_GETARG_INT32(0));
	bool		isnull;
	int64		r;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (plan == NULL)
	{
		Oid			types[1] = {INT4OID};
		SPIPlanPtr	p = SPI_prepare("SELECT $1 + 1", 1, types);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "SPI_prepare failed");
		plan = p;
	}
	if (SPI_execute_plan(plan, &arg, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "SPI_execute_plan failed");
	r = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	PG_RETURN_INT64(r);
}

PG_FUNCTION_INFO_V1(bench_c_trg_new);

/* bench_c_trg_new() RETURNS trigger: a BEFORE ROW trigger returning NEW */
Datum
bench_c_trg_new(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "bench_c_trg_new: not called as a trigger");
	return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(td->tg_event) ?
						   td->tg_newtuple : td->tg_trigtuple);
}
