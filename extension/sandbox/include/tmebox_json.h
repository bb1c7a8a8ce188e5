/*-------------------------------------------------------------------------
 *
 * tmebox_json.h
 *		Reading a jsonb argument in PostgreSQL's binary form, without a
 *		parse (included by tmebox.h; sandbox libc: libc/jsonb.c).
 *
 * A function receives jsonb in binary form when its C parameter is
 * `const tmebox_jsonb *`; declared `const tmebox_buf *`, the same SQL
 * argument arrives as text, as before.  A tmebox_json is a value inside
 * the document: a small handle (passed and returned by value) that points
 * into the argument's bytes, valid as long as the argument is (the call).
 *
 *	int64_t
 *	price(const tmebox_jsonb *doc)
 *	{
 *		int64_t		cents;
 *
 *		if (!tmebox_json_int64(tmebox_json_get(tmebox_jsonb_root(doc), "cents"), &cents))
 *			tmebox_error("no integer \"cents\"");
 *		return cents;
 *	}
 *
 * Invariants:
 *	- Every offset and length read from the document is checked against
 *	  the bytes of the container it belongs to before it is used: a
 *	  malformed document (one the function built or changed itself; the
 *	  host passes PostgreSQL's own) raises "malformed jsonb" and is never
 *	  read outside its buffer.
 *	- Lookups never fail on a wrong type or a missing key: they return a
 *	  value of type TMEBOX_JSON_MISSING, which every accessor accepts (a
 *	  chain of lookups needs one check at its end).
 *	- Strings are the document's UTF-8 bytes, not NUL-terminated.
 *	- Numbers are PostgreSQL numerics; tmebox_json_number_text writes
 *	  exactly numeric_out's text (what (doc->>'x') gives, and what a SQL
 *	  numeric accepts back); tmebox_json_numeric gives the same digits as
 *	  a tmebox_numeric.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_JSON_H
#define _TMEBOX_JSON_H

#include <stdint.h>
#include <stdbool.h>

/*
 * A jsonb argument in binary form: len bytes of a JsonbContainer
 * (src/include/utils/jsonb.h: a uint32 header, the JEntry array, the
 * data), as in the varlena after its 4-byte header; data is at the same
 * 4-byte alignment as in PostgreSQL.
 */
typedef struct tmebox_jsonb
{
	uint32_t	len;			/* bytes in data */
	char		data[];
} tmebox_jsonb;

typedef enum tmebox_json_type
{
	TMEBOX_JSON_MISSING = 0,	/* no such key or element: not a value */
	TMEBOX_JSON_NULL,
	TMEBOX_JSON_STRING,
	TMEBOX_JSON_NUMBER,
	TMEBOX_JSON_BOOL,
	TMEBOX_JSON_ARRAY,
	TMEBOX_JSON_OBJECT
} tmebox_json_type;

/* A value in a document: read it only through the functions below. */
typedef struct tmebox_json
{
	uint32_t	type;			/* tmebox_json_type */
	uint32_t	len;			/* bytes at p; a bool: 0 or 1 */
	const char *p;				/* string bytes, numeric, or container */
} tmebox_json;

/* An iterator over an array's elements or an object's pairs. */
typedef struct tmebox_json_iter
{
	tmebox_json c;				/* the container */
	uint32_t	i;				/* next element or pair */
	uint32_t	n;				/* elements or pairs */
	uint32_t	koff;			/* data offset of the next key (objects) */
	uint32_t	voff;			/* data offset of the next element or value */
} tmebox_json_iter;

/* The document's top-level value (a scalar document: that scalar). */
extern tmebox_json tmebox_jsonb_root(const tmebox_jsonb *doc);

/* Its type. */
static inline tmebox_json_type
tmebox_json_typeof(tmebox_json v)
{
	return (tmebox_json_type) v.type;
}

/* "missing", "null", "string", "number", "boolean", "array", "object" */
extern const char *tmebox_json_type_name(tmebox_json v);

/*
 * obj's value of key (a C string, or len bytes), found by binary search
 * as PostgreSQL's -> does; MISSING when obj is no object or has no key.
 */
extern tmebox_json tmebox_json_get(tmebox_json obj, const char *key);
extern tmebox_json tmebox_json_getn(tmebox_json obj, const char *key, uint32_t len);

/* Element i (from 0) of an array; MISSING past its end or for a non-array. */
extern tmebox_json tmebox_json_at(tmebox_json arr, uint32_t i);

/* Elements of an array, pairs of an object; 0 for anything else. */
extern uint32_t tmebox_json_count(tmebox_json v);

/*
 * Iterate over an array's elements (key is MISSING) or an object's pairs
 * (in the document's order: keys sorted by length, then bytes):
 *
 *	tmebox_json_iter it;
 *	tmebox_json k, v;
 *
 *	tmebox_json_iter_init(&it, obj);
 *	while (tmebox_json_next(&it, &k, &v))
 *		...
 *
 * Anything but an array or object yields nothing.  key may be NULL.
 */
extern void tmebox_json_iter_init(tmebox_json_iter *it, tmebox_json container);
extern bool tmebox_json_next(tmebox_json_iter *it, tmebox_json *key, tmebox_json *value);

/* A string's bytes (not NUL-terminated) and *len; NULL for a non-string. */
extern const char *tmebox_json_str(tmebox_json v, uint32_t *len);

/* Is v the string s (a C string)? */
extern bool tmebox_json_streq(tmebox_json v, const char *s);

/* 1 for true, 0 for false, -1 for anything else. */
extern int	tmebox_json_bool(tmebox_json v);

/* Is v JSON null? (MISSING is not null.) */
static inline bool
tmebox_json_is_null(tmebox_json v)
{
	return v.type == TMEBOX_JSON_NULL;
}

/*
 * A number's decimal text, exactly as PostgreSQL prints the numeric
 * ("-12.50", "1000000000000000000000"): written to out (at most cap bytes
 * with the NUL, cut if longer), its length returned (like snprintf: the
 * full length, even when cut); -1 for a non-number.
 */
extern int	tmebox_json_number_text(tmebox_json v, char *out, uint32_t cap);

/* A number's value as an int64_t when it is an integer in range (1.0 is,
 * 1.5 is not): true and *out; false otherwise. */
extern bool tmebox_json_int64(tmebox_json v, int64_t *out);

/* A number as the nearest double (inf if out of range): true and *out;
 * false for a non-number. */
extern bool tmebox_json_double(tmebox_json v, double *out);

/*
 * A number as a new tmebox_numeric (tmebox.h; exact: the document's own
 * digits, to compute with tmebox_num_* or return as a SQL numeric); NULL
 * for a non-number.
 */
struct tmebox_numeric;
extern struct tmebox_numeric *tmebox_json_numeric(tmebox_json v);

#endif							/* _TMEBOX_JSON_H */
