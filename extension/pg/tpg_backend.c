/*-------------------------------------------------------------------------
 *
 * tpg_backend.c
 *		SQL functions tmebox.backend() and tmebox.max_keyid(): which KeyID
 *		backend is in use, why, and how many KeyIDs tenants may get.
 *
 * Invariants kept here:
 *	- They report what tpg_guc.c decides and nothing else: "tme-mk" only
 *	  when every detection check passed, with the reason next to it.
 *	- Callable by anyone: the answer discloses CPU and kernel features,
 *	  which /proc/cpuinfo already shows to every local user.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "tpg_guc.h"

PG_FUNCTION_INFO_V1(tmebox_backend);
PG_FUNCTION_INFO_V1(tmebox_max_keyid);

/* tmebox.backend(OUT backend text, OUT reason text) RETURNS record */
Datum
tmebox_backend(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	char	   *reason;
	KeyidBackend backend;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	backend = tpg_backend_current(&reason);
	values[0] = CStringGetTextDatum(keyid_backend_name(backend));
	values[1] = CStringGetTextDatum(reason);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
													  values, nulls)));
}

/* tmebox.max_keyid() RETURNS int */
Datum
tmebox_max_keyid(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(tpg_max_keyid());
}
