/*-------------------------------------------------------------------------
 *
 * pl_types.c
 *		The mapping between SQL types and the sandbox's value types, from
 *		the tables of tmebox_abi.h (TMEBOX_SQL_TYPES, TMEBOX_VALUE_TYPES):
 *		which kind a SQL type is, the C spelling of a kind, scalar
 *		Datums to and from tmebox_values, and the byte strings of SQL types
 *		that travel as a buffer (text-like, name, json, jsonb, uuid).
 *
 * Invariants:
 *	- A type is either mapped here or refused by the validator; nothing is
 *	  passed to a sandbox in a representation it did not declare.
 *	- A byte-string result becomes a Datum only once it is a valid value
 *	  of its SQL type: NUL-free and valid in the database encoding for
 *	  every type but bytea and uuid (22021), valid JSON for json and jsonb
 *	  (22P02), exactly 16 bytes for uuid (22P03); a name is cut to
 *	  NAMEDATALEN - 1 bytes at a character boundary, like namein.
 *	- numeric travels as PostgreSQL's base-10000 digits (tmebox.h's
 *	  tmebox_numeric), read from and written as a stored Numeric by
 *	  pl_numeric.c (every field of a result checked first).  interval
 *	  travels as its 16 bytes after 4 zero bytes (tmebox_interval); a
 *	  result of any other length is 38000.
 *	- Arrays of byte strings (text[], varchar[], bytea[]) travel as arrays
 *	  of buffers: each element like a buffer argument, NULL elements as
 *	  NULL pointers; every element of a result passes pl_buf_out.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/transam.h"
#include "catalog/pg_type.h"
#include "common/jsonapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "parser/parse_coerce.h"
#include "utils/array.h"
#include "utils/ascii.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/jsonb.h"
#include "utils/jsonfuncs.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/uuid.h"

#include "pl_callbacks.h"
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

/*
 * May an argument of SQL type base (a domain resolved) travel as value
 * type ckind, a second form of TMEBOX_SQL_ALT_TYPES that the C function
 * chose by its parameter's type (jsonb as const tmebox_jsonb *)?
 */
bool
pl_type_alt_kind(Oid base, tmebox_type ckind)
{
#define PL_X_ALT_KIND(oid, name) \
	if (base == oid && ckind == TMEBOX_T_##name) \
		return true;
	TMEBOX_SQL_ALT_TYPES(PL_X_ALT_KIND)
#undef PL_X_ALT_KIND
	return false;
}

/*
 * The array value type whose elements have value type `elem`
 * (TMEBOX_T_AI32 for TMEBOX_T_I32, TMEBOX_T_ABUF for TMEBOX_T_BUF), from
 * the table; TMEBOX_T_VOID when there is none (void, arrays).
 */
static tmebox_type
pl_type_array_of(tmebox_type elem)
{
#define PL_X_ARRAY_OF(name, code, class, width, ctype, e) \
	if ((TMEBOX_CLASS_##class == TMEBOX_CLASS_ARRAY || \
		 TMEBOX_CLASS_##class == TMEBOX_CLASS_BUFARRAY) && TMEBOX_T_##e == elem) \
		return TMEBOX_T_##name;
	TMEBOX_VALUE_TYPES(PL_X_ARRAY_OF)
#undef PL_X_ARRAY_OF
	return TMEBOX_T_VOID;
}

/*
 * RETURNS SETOF typid (or TABLE with one column of typid): true when its
 * element is a scalar (bool, integer or float value type) or a byte
 * string (text, bytea and the other buffer types), domains resolved, and
 * *kind the array type the C function returns, one row per element (an
 * array of buffers for byte strings, a NULL element a NULL row).  Sets of
 * arrays would need arrays of arrays: the ABI has none.
 */
bool
pl_type_set_kind(Oid typid, tmebox_type *kind)
{
	tmebox_type elem;

	if (!pl_type_kind(typid, false, &elem))
		return false;
	if (elem == TMEBOX_T_ROW)
	{
		*kind = TMEBOX_T_ROWS;	/* SETOF record: a set of dynamic rows */
		return true;
	}
	if (tmebox_type_by_ref(elem) && tmebox_type_class_of(elem) != TMEBOX_CLASS_BUF)
		return false;
	*kind = pl_type_array_of(elem);
	return *kind != TMEBOX_T_VOID;
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

/* pg_type.typname of a built-in type (int4, not integer). */
static const char *
pl_typname(Oid typid)
{
	HeapTuple	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
	char	   *name;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for type %u", typid);
	name = pstrdup(NameStr(((Form_pg_type) GETSTRUCT(tup))->typname));
	ReleaseSysCache(tup);
	return name;
}

/*
 * The SQL types of use `use` (PL_TYPES_ARGS: what a function may take;
 * _RESULT: and return; _SET: the elements of a set it may return), for
 * hints: "bool, int2, ..., int4[]" in the order of TMEBOX_SQL_TYPES.
 */
const char *
pl_type_list(PlTypeUse use)
{
	static const Oid oids[] = {
#define PL_X_SQL_LIST(oid, name) oid,
		TMEBOX_SQL_TYPES(PL_X_SQL_LIST)
#undef PL_X_SQL_LIST
	};
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < lengthof(oids); i++)
	{
		Oid			elem = get_element_type(oids[i]);
		tmebox_type kind;

		if (oids[i] == VOIDOID && use != PL_TYPES_RESULT)
			continue;
		if (oids[i] == RECORDOID)
			continue;			/* named with the composite types */
		if (use == PL_TYPES_SET && !pl_type_set_kind(oids[i], &kind))
			continue;
		appendStringInfo(&buf, "%s%s%s", buf.len > 0 ? ", " : "",
						 pl_typname(OidIsValid(elem) ? elem : oids[i]),
						 OidIsValid(elem) ? "[]" : "");
	}
	return buf.data;
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

/*
 * Does a result of SQL type `base` have a value range its Datum can leave?
 * (An int32 is a valid int4 whatever its bits, not a valid date.)
 */
bool
pl_type_has_range(Oid base)
{
	switch (base)
	{
		case DATEOID:
		case TIMEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			return true;
		default:
			return false;
	}
}

/*
 * A result d of type base lies in the type's range (22008 otherwise), so
 * no date or time PostgreSQL cannot print or dump reaches a table.
 */
void
pl_type_check_result(Oid base, Datum d, const char *fname)
{
	switch (base)
	{
		case DATEOID:
			if (DATE_NOT_FINITE(DatumGetDateADT(d)) || IS_VALID_DATE(DatumGetDateADT(d)))
				return;
			break;
		case TIMEOID:
			if (DatumGetTimeADT(d) >= 0 && DatumGetTimeADT(d) <= USECS_PER_DAY)
				return;
			break;
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			if (TIMESTAMP_NOT_FINITE(DatumGetTimestamp(d)) ||
				IS_VALID_TIMESTAMP(DatumGetTimestamp(d)))
				return;
			break;
		default:
			return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("sandboxed function \"%s\" returned a %s out of range",
					fname, format_type_be(base)),
			 errhint("tmebox.h's tmebox_date_from_ymd and tmebox_timestamp_from build valid values.")));
}

/* tmebox_interval's bytes after its len: 4 zero bytes, then Interval */
#define PL_INTERVAL_LEN	(4 + (uint32) sizeof(Interval))

/* A malformed interval result: 38000, like a bad offset. */
static void
pl_bad_value(const char *fname, const char *type, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
			 errmsg("sandboxed function \"%s\" failed: invalid result: a malformed %s",
					fname, type),
			 errdetail("%s", why),
			 errhint("Build results with tmebox.h's tmebox_interval_* functions.")));
}

/*
 * A result d of SQL type base (not NULL) with a typmod (a domain's, or a
 * row column's; -1: none), applied as an assignment cast applies it: the
 * type's length-coercion function, implicit (numeric(p,s) rounds and
 * refuses more than p digits, 22003; varchar(n) refuses a longer value,
 * 22001; timestamp(p) rounds; bpchar pads), element by element for an
 * array (red team s9 F3: only numeric had it).
 */
Datum
pl_type_apply_typmod(Oid base, Datum d, int32 typmod)
{
	Oid			funcid;
	Oid			elem;
	ArrayType  *a;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (typmod < 0)
		return d;
	switch (find_typmod_coercion_function(base, &funcid))
	{
		case COERCION_PATH_FUNC:
			return OidFunctionCall3(funcid, d, Int32GetDatum(typmod), BoolGetDatum(false));
		case COERCION_PATH_ARRAYCOERCE:
			break;
		default:
			return d;
	}
	elem = get_element_type(base);
	if (find_typmod_coercion_function(elem, &funcid) != COERCION_PATH_FUNC)
		return d;
	a = DatumGetArrayTypeP(d);
	get_typlenbyvalalign(elem, &typlen, &typbyval, &typalign);
	deconstruct_array(a, elem, typlen, typbyval, typalign, &elems, &nulls, &n);
	if (n == 0)
		return d;
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			elems[i] = OidFunctionCall3(funcid, elems[i], Int32GetDatum(typmod),
										BoolGetDatum(false));
	return PointerGetDatum(construct_md_array(elems, nulls, ARR_NDIM(a), ARR_DIMS(a),
											  ARR_LBOUND(a), elem, typlen, typbyval,
											  typalign));
}

/*
 * A non-NULL argument of SQL type base (a domain resolved) that travels as
 * a buffer, as the bytes the sandbox receives (the runtime copies them
 * into the view, a NUL after them):
 *	name	its characters, without the NUL padding of its 64 bytes
 *	uuid	its 16 bytes
 *	jsonb	its text form, as jsonb_out writes it (allocated in the
 *			current memory context, the call's); in binary form
 *			(const tmebox_jsonb *) pl_varlena_in instead
 *	numeric	tmebox_numeric's sign, dscale, weight and digits (pl_numeric_in)
 *	interval 4 zero bytes and its Interval (time, day, month)
 *	others	the varlena's data: text, bytea, varchar, char(n), json
 */
void
pl_buf_in(Oid base, Datum d, tmebox_value *v)
{
	switch (base)
	{
		case NAMEOID:
			{
				const char *n = NameStr(*DatumGetName(d));

				v->v.buf.data = n;
				v->v.buf.len = strnlen(n, NAMEDATALEN);
				break;
			}
		case UUIDOID:
			v->v.buf.data = DatumGetUUIDP(d)->data;
			v->v.buf.len = UUID_LEN;
			break;
		case NUMERICOID:
			pl_numeric_in(d, v);
			break;
		case INTERVALOID:
			{
				char	   *b = palloc0(PL_INTERVAL_LEN);

				memcpy(b + 4, DatumGetIntervalP(d), sizeof(Interval));
				v->v.buf.data = b;
				v->v.buf.len = PL_INTERVAL_LEN;
				break;
			}
		case JSONBOID:
			{
				Jsonb	   *jb = DatumGetJsonbP(d);
				char	   *s = JsonbToCString(NULL, &jb->root, VARSIZE(jb));

				v->v.buf.data = s;
				v->v.buf.len = strlen(s);
				break;
			}
		default:
			pl_varlena_in(d, v);
			break;
	}
}

/*
 * A varlena argument as its data, detoasted in the current memory context
 * (the call's, in the tenant's memory) when it is compressed or stored
 * out of line; a short header is not unpacked (the runtime copies the
 * bytes into the view, which aligns them).  Byte strings, and jsonb in
 * binary form: its JsonbContainer.
 */
void
pl_varlena_in(Datum d, tmebox_value *v)
{
	struct varlena *t = PG_DETOAST_DATUM_PACKED(d);

	v->v.buf.data = VARDATA_ANY(t);
	v->v.buf.len = VARSIZE_ANY_EXHDR(t);
}

/*
 * s[0, len) holds only ASCII bytes other than NUL: valid text in every
 * server encoding (all of them extend ASCII), so pg_verifymbstr need not
 * run.  Eight bytes at a time (is_valid_ascii), the last eight again when
 * len is not a multiple of eight.
 */
static inline bool
pl_plain_ascii(const char *s, uint32 len)
{
	const unsigned char *u = (const unsigned char *) s;

	if (len < 8)
	{
		for (uint32 i = 0; i < len; i++)
			if ((unsigned) u[i] - 1 >= 0x7F)
				return false;	/* NUL, or the high bit set */
		return true;
	}
	return is_valid_ascii(u, (int) (len & ~(uint32) 7)) &&
		is_valid_ascii(u + len - 8, 8);
}

/*
 * The Datum of a buffer result of SQL type base: len bytes at
 * block + VARHDRSZ (pl_result_alloc's palloc'd varlena, a NUL after the
 * data), checked to be a valid value of the type first; errors name the
 * function fname.
 */
Datum
pl_buf_out(Oid base, char *block, uint32 len, const char *fname)
{
	char	   *s = block + VARHDRSZ;

	switch (base)
	{
		case BYTEAOID:
			SET_VARSIZE(block, VARHDRSZ + len);
			return PointerGetDatum(block);
		case UUIDOID:
			{
				pg_uuid_t  *u;

				if (len != UUID_LEN)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
							 errmsg("sandboxed function \"%s\" returned a uuid of %u bytes",
									fname, len),
							 errdetail("A uuid result is a buffer of exactly %d bytes.", UUID_LEN)));
				u = palloc(sizeof(pg_uuid_t));
				memcpy(u->data, s, UUID_LEN);
				return UUIDPGetDatum(u);
			}
		case NUMERICOID:
			return pl_numeric_out(s, len, fname);
		case INTERVALOID:
			{
				/* every 16 bytes are an interval PostgreSQL 15 can print */
				Interval   *iv;

				if (len != PL_INTERVAL_LEN)
					pl_bad_value(fname, "interval", "Its length is not TMEBOX_INTERVAL_LEN (20).");
				iv = palloc(sizeof(Interval));
				memcpy(iv, s + 4, sizeof(Interval));
				return IntervalPGetDatum(iv);
			}
		default:
			break;
	}

	/*
	 * text-like: no NUL, valid in the database encoding.  PostgreSQL's
	 * verifier refuses a NUL in every encoding, so the NUL scan only names
	 * the reason once it has failed.  Plain ASCII needs neither.
	 */
	if (!pl_plain_ascii(s, len) && unlikely(!pg_verifymbstr(s, (int) len, true)))
	{
		if (memchr(s, '\0', len) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
					 errmsg("sandboxed function \"%s\" returned text containing a NUL byte",
							fname)));
		pl_check_encoding(s, (int) len, "a text result");
	}

	switch (base)
	{
		case NAMEOID:
			{
				/* namein's rule: at most NAMEDATALEN - 1 bytes, whole characters */
				Name		n = (Name) palloc0(NAMEDATALEN);

				memcpy(NameStr(*n), s, pg_mbcliplen(s, (int) len, NAMEDATALEN - 1));
				return NameGetDatum(n);
			}
		case JSONOID:
			{
				/* json_in's validation; the value stays the text */
				JsonLexContext *lex = makeJsonLexContextCstringLen(s, (int) len,
																   GetDatabaseEncoding(),
																   false);

				pg_parse_json_or_ereport(lex, &nullSemAction);
				break;
			}
		case JSONBOID:
			/* s is NUL-terminated and NUL-free: jsonb_in's input */
			return DirectFunctionCall1(jsonb_in, CStringGetDatum(s));
		default:
			break;
	}
	SET_VARSIZE(block, VARHDRSZ + len);
	return PointerGetDatum(block);
}

/*
 * get_typlenbyvalalign without a syscache lookup per call for built-in
 * types (OIDs below FirstGenbkiObjectId, whose length, passing and
 * alignment are fixed in the server binary): those are remembered in a
 * small table the first time; other types (a domain as an array's element
 * type) are looked up every time.
 */
void
pl_type_layout(Oid typid, int16 *typlen, bool *typbyval, char *typalign)
{
	static struct
	{
		Oid			typid;
		int16		typlen;
		bool		typbyval;
		char		typalign;
	}			known[16];
	static int	nknown = 0;
	int			i;

	for (i = 0; i < nknown; i++)
		if (known[i].typid == typid)
		{
			*typlen = known[i].typlen;
			*typbyval = known[i].typbyval;
			*typalign = known[i].typalign;
			return;
		}
	get_typlenbyvalalign(typid, typlen, typbyval, typalign);
	if (typid < FirstGenbkiObjectId && nknown < lengthof(known))
	{
		known[nknown].typid = typid;
		known[nknown].typlen = *typlen;
		known[nknown].typbyval = *typbyval;
		known[nknown].typalign = *typalign;
		nknown++;
	}
}

/*
 * A one-dimensional array of byte strings (text[], varchar[], bytea[]) as
 * the runtime's array of buffers: v->v.buf.data a palloc'd tmebox_value
 * per element (pl_buf_in; NULL elements isnull), v->v.buf.len their count.
 */
void
pl_bufarray_in(ArrayType *a, tmebox_value *v)
{
	Oid			elemtype = ARR_ELEMTYPE(a);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	tmebox_value *ev;

	bool		shaped = ARR_NDIM(a) > 1 || (ARR_NDIM(a) == 1 && ARR_LBOUND(a)[0] != 1);

	pl_type_layout(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(a, elemtype, typlen, typbyval, typalign, &elems, &nulls, &n);
	/* room for the shape after the values (tmebox_rt.h) */
	ev = palloc0(sizeof(tmebox_value) * Max(n, 1) + TMEBOX_ARRAY_SHAPE_HDR);
	for (int i = 0; i < n; i++)
	{
		ev[i].isnull = nulls[i];
		ev[i].v.buf.data = NULL;
		ev[i].v.buf.len = 0;
		if (!nulls[i])
			pl_buf_in(elemtype, elems[i], &ev[i]);
	}
	v->v.buf.data = ev;
	v->v.buf.len = (uint32) n;
	if (shaped)
	{
		/* several dimensions or a lower bound other than 1 */
		pl_shape_write((char *) (ev + n), ARR_NDIM(a), ARR_DIMS(a), ARR_LBOUND(a), false);
		v->v.buf.len |= TMEBOX_ARRAY_SHAPED;
	}
}

/* A shape block at s: ndim dims and lower bounds, has_nulls. */
void
pl_shape_write(char *s, int ndim, const int *dims, const int *lbs, bool has_nulls)
{
	uint32		u = (uint32) ndim;

	memset(s, 0, TMEBOX_ARRAY_SHAPE_HDR);
	memcpy(s, &u, 4);
	u = has_nulls ? 1 : 0;
	memcpy(s + 4, &u, 4);
	memcpy(s + 8, dims, sizeof(int32) * ndim);
	memcpy(s + 8 + 4 * TMEBOX_ARRAY_MAXDIM, lbs, sizeof(int32) * ndim);
}

/*
 * The shape of a result of n elements (the runtime's copy; has_nulls
 * checked there) once it is a valid one (38000 otherwise): ndim 1..6, no
 * negative dimension, the dimensions multiply to exactly n; bounds
 * PostgreSQL can hold (ArrayGetNItems, ArrayCheckBounds: 54000) when n is
 * not 0.  *ndim, dims[] and lbs[] its fields.
 */
void
pl_shape_read(const char *s, uint32 n, const char *fname, int *ndim, int *dims, int *lbs)
{
	uint32		nd;
	int64		count = 1;

	memcpy(&nd, s, 4);
	memcpy(dims, s + 8, sizeof(int32) * TMEBOX_ARRAY_MAXDIM);
	memcpy(lbs, s + 8 + 4 * TMEBOX_ARRAY_MAXDIM, sizeof(int32) * TMEBOX_ARRAY_MAXDIM);
	if (nd < 1 || nd > TMEBOX_ARRAY_MAXDIM)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("sandboxed function \"%s\" failed: invalid result: an array shape of %u dimensions",
						fname, nd),
				 errdetail("An array has 1 to %d dimensions.", TMEBOX_ARRAY_MAXDIM)));
	for (uint32 k = 0; k < nd; k++)
	{
		if (dims[k] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("sandboxed function \"%s\" failed: invalid result: dimension %u of the array is %d",
							fname, k + 1, dims[k])));
		count = Min(count * dims[k], (int64) PG_INT32_MAX + 1);
	}
	if (count != (int64) n)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("sandboxed function \"%s\" failed: invalid result: the array's dimensions do not match its %u elements",
						fname, n),
				 errdetail("The dimensions multiply to " INT64_FORMAT ".", count),
				 errhint("tmebox_array_set_dims gives an array its dimensions.")));
	if (n > 0)
	{
		(void) ArrayGetNItems((int) nd, dims);	/* MaxArraySize: 54000 */
		ArrayCheckBounds((int) nd, dims, lbs);
	}
	*ndim = (int) nd;
}

/*
 * Element ev of an array-of-buffers result (the runtime's copy: len bytes
 * and a NUL) as a Datum of SQL type elembase, validated by pl_buf_out.
 */
Datum
pl_bufarray_elem_out(Oid elembase, const tmebox_value *ev, const char *fname)
{
	char	   *block = palloc(VARHDRSZ + (Size) ev->v.buf.len + 1);

	memcpy(block + VARHDRSZ, ev->v.buf.data, (Size) ev->v.buf.len + 1);
	return pl_buf_out(elembase, block, ev->v.buf.len, fname);
}

/*
 * An array-of-buffers result r (not NULL) as a one-dimensional SQL array
 * of elembase (text, varchar or bytea), NULL elements kept; every element
 * valid first (pl_buf_out).
 */
Datum
pl_bufarray_out(Oid elembase, const tmebox_value *r, const char *fname)
{
	const tmebox_value *ev = r->v.buf.data;
	uint32		n = r->v.buf.len & ~TMEBOX_ARRAY_SHAPED;
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	bool	   *nulls = palloc(sizeof(bool) * Max(n, 1));
	int			ndim = 1;
	int			dims[TMEBOX_ARRAY_MAXDIM] = {(int) n};
	int			lbs[TMEBOX_ARRAY_MAXDIM] = {1};
	int16		typlen;
	bool		typbyval;
	char		typalign;

	for (uint32 i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		nulls[i] = ev[i].isnull;
		elems[i] = nulls[i] ? (Datum) 0 : pl_bufarray_elem_out(elembase, &ev[i], fname);
	}
	if (r->v.buf.len & TMEBOX_ARRAY_SHAPED)
		pl_shape_read((const char *) (ev + n), n, fname, &ndim, dims, lbs);
	pl_type_layout(elembase, &typlen, &typbyval, &typalign);
	if (n == 0)
		return PointerGetDatum(construct_empty_array(elembase));
	return PointerGetDatum(construct_md_array(elems, nulls, ndim, dims, lbs, elembase,
											  typlen, typbyval, typalign));
}
