/*-------------------------------------------------------------------------
 *
 * pl_bytes.c
 *		The byte-string call kept short (text in, text out): a function
 *		whose arguments are scalars and byte strings that travel as their
 *		varlena's data (text, bytea, varchar, char(n), json; jsonb in
 *		binary form), whose result is a scalar, void or a byte string, and
 *		that takes or returns at least one byte string (pf->bytes, decided
 *		when it is bound: pl_bytes_eligible, here).  The call itself,
 *		pl_function_call_bytes, is inline in pl_function.h (the call
 *		handler's per-row path): the arguments are read in place, the
 *		result becomes a Datum as in the general call.
 *
 * Invariants kept by the call:
 *	- Nothing is copied on the host: an argument that would need a copy
 *	  (compressed or stored out of line) sends the whole call to the
 *	  general path (pl_function_call), which makes the copy in the
 *	  tenant's memory (pl_tenantmem.c).  So no tenant memory context is
 *	  entered here.
 *	- The sandbox is entered through pl_invoke; the runtime copies the
 *	  arguments into the view and the result out of it after its range
 *	  checks (rt_call.c); a byte-string result passes pl_buf_out (NUL-free,
 *	  valid in the database encoding, valid for its type) before it
 *	  becomes a Datum, exactly as in pl_function_call.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"

#include "pl_callbacks.h"
#include "pl_function.h"

/* Does an argument of kind `kind` and SQL base type `base` fit? */
static bool
pl_bytes_arg_ok(tmebox_type kind, Oid base)
{
	if (!tmebox_type_by_ref(kind))
		return true;
	if (tmebox_type_class_of(kind) != TMEBOX_CLASS_BUF)
		return false;
	if (pl_type_alt_kind(base, kind))
		return true;			/* jsonb in binary form: the varlena's data */
	switch (base)
	{
		case TEXTOID:
		case BYTEAOID:
		case VARCHAROID:
		case BPCHAROID:
		case JSONOID:
			return true;		/* pl_buf_in passes the varlena's data */
		default:
			return false;		/* name, uuid, jsonb as text, ...: converted */
	}
}

/*
 * At bind time: can pf (bound, not all-scalar, not a set) take
 * pl_function_call_bytes?
 */
bool
pl_bytes_eligible(const PlFunction *pf)
{
	bool		some_buf = tmebox_type_class_of(pf->retkind) == TMEBOX_CLASS_BUF;

	if (tmebox_type_by_ref(pf->retkind) && !some_buf)
		return false;
	for (int i = 0; i < pf->nargs; i++)
	{
		if (!pl_bytes_arg_ok(pf->argkinds[i], pf->argbase[i]))
			return false;
		if (tmebox_type_by_ref(pf->argkinds[i]))
			some_buf = true;
	}
	return some_buf;
}
