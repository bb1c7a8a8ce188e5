/*-------------------------------------------------------------------------
 *
 * pl_types.c
 *		The mapping between SQL types and the sandbox's C types (ABI.md):
 *		int2/int4/int8 <-> int16_t/int32_t/int64_t, float4/float8 <->
 *		float/double, bool, text/bytea <-> tmebox_buf *, int4[]/int8[]/
 *		float8[] <-> tmebox_array_i32/_i64/_f64 *, void (results only).
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
		case VOIDOID:
			if (!is_result)
				return false;
			*kind = TMEBOX_T_VOID;
			return true;
		case BOOLOID:
			*kind = TMEBOX_T_BOOL;
			return true;
		case INT2OID:
			*kind = TMEBOX_T_I16;
			return true;
		case INT4OID:
			*kind = TMEBOX_T_I32;
			return true;
		case INT8OID:
			*kind = TMEBOX_T_I64;
			return true;
		case FLOAT4OID:
			*kind = TMEBOX_T_F32;
			return true;
		case FLOAT8OID:
			*kind = TMEBOX_T_F64;
			return true;
		case TEXTOID:
		case BYTEAOID:
			*kind = TMEBOX_T_BUF;
			return true;
		case INT4ARRAYOID:
			*kind = TMEBOX_T_AI32;
			return true;
		case INT8ARRAYOID:
			*kind = TMEBOX_T_AI64;
			return true;
		case FLOAT8ARRAYOID:
			*kind = TMEBOX_T_AF64;
			return true;
		default:
			return false;
	}
}

/* C spelling of a kind in a generated function header. */
const char *
pl_type_cname(tmebox_type kind, bool is_result)
{
	switch (kind)
	{
		case TMEBOX_T_VOID:
			return "void";
		case TMEBOX_T_BOOL:
			return "bool";
		case TMEBOX_T_I16:
			return "int16_t";
		case TMEBOX_T_I32:
			return "int32_t";
		case TMEBOX_T_I64:
			return "int64_t";
		case TMEBOX_T_F32:
			return "float";
		case TMEBOX_T_F64:
			return "double";
		case TMEBOX_T_BUF:
			return is_result ? "tmebox_buf *" : "const tmebox_buf *";
		case TMEBOX_T_AI32:
			return is_result ? "tmebox_array_i32 *" : "const tmebox_array_i32 *";
		case TMEBOX_T_AI64:
			return is_result ? "tmebox_array_i64 *" : "const tmebox_array_i64 *";
		case TMEBOX_T_AF64:
			return is_result ? "tmebox_array_f64 *" : "const tmebox_array_f64 *";
	}
	return "?";
}
