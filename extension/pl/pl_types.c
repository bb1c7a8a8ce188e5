/*-------------------------------------------------------------------------
 *
 * pl_types.c
 *		The mapping between SQL types and the sandbox's value types, from
 *		the tables of tmebox_abi.h (TMEBOX_SQL_TYPES, TMEBOX_VALUE_TYPES):
 *		which kind a SQL type is, the C spelling of a kind, and scalar
 *		Datums to and from tmebox_values.
 *
 * Invariant: a type is either mapped here or refused by the validator;
 * nothing is passed to a sandbox in a representation it did not declare.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/lsyscache.h"

#include "pl_function.h"

/* Kind for SQL type `typid` (domains resolved to their base type). */
bool
pl_type_kind(Oid typid, bool is_result, tmebox_type *kind)
{
	switch (getBaseType(typid))
	{
#define PL_X_SQL_KIND(oid, name) \
		case oid: \
			*kind = TMEBOX_T_##name; \
			break;
			TMEBOX_SQL_TYPES(PL_X_SQL_KIND)
#undef PL_X_SQL_KIND
		default:
			return false;
	}
	return is_result || *kind != TMEBOX_T_VOID;
}

/* The SQL type of results (and array elements) of kind: its first row. */
Oid
pl_type_oid(tmebox_type kind)
{
#define PL_X_SQL_OID(oid, name) \
	if (kind == TMEBOX_T_##name) \
		return oid;
	TMEBOX_SQL_TYPES(PL_X_SQL_OID)
#undef PL_X_SQL_OID
	return InvalidOid;
}

/* C spelling of a kind in a generated function header. */
const char *
pl_type_cname(tmebox_type kind, bool is_result)
{
	switch (kind)
	{
#define PL_X_CNAME(name, code, class, width, ctype, elem) \
		case TMEBOX_T_##name: \
			if (!tmebox_type_by_ref(kind)) \
				return #ctype; \
			return is_result ? #ctype " *" : "const " #ctype " *";
			TMEBOX_VALUE_TYPES(PL_X_CNAME)
#undef PL_X_CNAME
		default:
			return "?";
	}
}

/* A scalar SQL value (bool, integer or float kind) as a tmebox_value. */
void
pl_scalar_in(tmebox_type kind, Datum d, tmebox_value *v)
{
	unsigned	w = tmebox_type_width(kind);

	v->v.i = 0;
	v->isnull = false;
	switch (tmebox_type_class_of(kind))
	{
		case TMEBOX_CLASS_BOOL:
			v->v.b = DatumGetBool(d);
			break;
		case TMEBOX_CLASS_INT:
			v->v.i = w == 2 ? DatumGetInt16(d) : w == 4 ? DatumGetInt32(d) : DatumGetInt64(d);
			break;
		case TMEBOX_CLASS_FLOAT:
			if (w == sizeof(float))
				v->v.f = DatumGetFloat4(d);
			else
				v->v.d = DatumGetFloat8(d);
			break;
		default:
			elog(ERROR, "tmebox kind %d is not a scalar", kind);
	}
}

/* The SQL Datum of a scalar tmebox_value (void: 0). */
Datum
pl_scalar_out(tmebox_type kind, const tmebox_value *v)
{
	unsigned	w = tmebox_type_width(kind);

	switch (tmebox_type_class_of(kind))
	{
		case TMEBOX_CLASS_VOID:
			return (Datum) 0;
		case TMEBOX_CLASS_BOOL:
			return BoolGetDatum(v->v.b);
		case TMEBOX_CLASS_INT:
			return w == 2 ? Int16GetDatum((int16) v->v.i) :
				w == 4 ? Int32GetDatum((int32) v->v.i) : Int64GetDatum(v->v.i);
		case TMEBOX_CLASS_FLOAT:
			return w == sizeof(float) ? Float4GetDatum(v->v.f) : Float8GetDatum(v->v.d);
		default:
			elog(ERROR, "tmebox kind %d is not a scalar", kind);
	}
	return (Datum) 0;
}
