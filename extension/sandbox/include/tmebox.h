/*-------------------------------------------------------------------------
 *
 * tmebox.h
 *		The API a tmebox user-defined function sees: the buffer and array
 *		types that carry SQL text/bytea and arrays, their allocators, and
 *		raising errors and log messages in PostgreSQL.
 *
 * A function body written with CREATE FUNCTION ... LANGUAGE tmebox sees
 * this header (and stdint.h, stddef.h, stdbool.h, string.h, stdlib.h,
 * math.h) without including it.
 *
 * Memory: everything lives in the sandbox's view; allocate with malloc or
 * the constructors below.  A buffer or array passed in as an argument
 * belongs to the host, which frees it after the call: do not free it and
 * do not return it (return a new one).  A returned buffer or array must
 * come from malloc/the constructors; the host checks it lies inside the
 * heap, copies it out and frees it.  A returned tmebox_array_buf is freed
 * with every distinct element buffer in the heap that is not part of an
 * argument: its elements must be NULL, argument buffers, buffers outside
 * the heap (static data), or blocks from malloc/the constructors (one
 * buffer may appear several times; it is freed once).
 *
 * Invariants:
 *	- The layouts below are the ABI type codes buf, ai32, ai64, af64,
 *	  ai16, af32, abool, abuf (TMEBOX_VALUE_TYPES in tmebox_abi.h, ABI.md):
 *	  a 4-byte length for buffers, an 8-byte header for arrays so the
 *	  elements are 8-byte aligned.
 *	- TMEBOX_LOG_* and TMEBOX_MESSAGE_MAX equal the values of tmebox_abi.h
 *	  (the sandbox libc includes both, so a divergence fails its build).
 *	- Constructors never return NULL: an impossible size raises an error.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_H
#define _TMEBOX_H

#include <stdint.h>
#include <stddef.h>
#include <__tmebox_fmt.h>
#include <tmebox_json.h>

/*
 * A length-prefixed byte string: SQL text (UTF-8, no NUL inside) or bytea.
 * On input the host stores a NUL at data[len] (not counted in len), so
 * data can be used as a C string; tmebox_buf_new does the same.
 */
typedef struct tmebox_buf
{
	uint32_t	len;			/* bytes in data, excluding the NUL */
	char		data[];
} tmebox_buf;

/*
 * Arrays of int4[], int8[], float8[], int2[], float4[], bool[]: n elements
 * in v, in PostgreSQL's order (the last subscript varies fastest).  What
 * every array was before NULL elements and dimensions, and still the
 * common case: shape 0, one dimension of n elements from subscript 1, no
 * NULL element.  Otherwise shape leads to a tmebox_array_shape (below):
 * read it with tmebox_array_isnull, tmebox_array_ndim, tmebox_array_dim
 * and tmebox_array_lbound, give a result NULLs and dimensions with
 * tmebox_array_set_null and tmebox_array_set_dims.  A NULL element's v[i]
 * is zero.  An argument has NULL elements or several dimensions only when
 * the function is declared with SET tmebox.array_nulls = on; the host
 * refuses them to any other (22004, 2202E).
 */
#define TMEBOX_ARRAY_HEADER \
	uint32_t	n;				/* number of elements */ \
	union \
	{ \
		uint32_t	_pad; \
		uint32_t	shape;		/* 0, or where the shape is (tmebox_array_*) */ \
	}

typedef struct tmebox_array_i32
{
	TMEBOX_ARRAY_HEADER;
	int32_t		v[];
} tmebox_array_i32;

typedef struct tmebox_array_i64
{
	TMEBOX_ARRAY_HEADER;
	int64_t		v[];
} tmebox_array_i64;

typedef struct tmebox_array_f64
{
	TMEBOX_ARRAY_HEADER;
	double		v[];
} tmebox_array_f64;

typedef struct tmebox_array_i16
{
	TMEBOX_ARRAY_HEADER;
	int16_t		v[];
} tmebox_array_i16;

typedef struct tmebox_array_f32
{
	TMEBOX_ARRAY_HEADER;
	float		v[];
} tmebox_array_f32;

typedef struct tmebox_array_bool
{
	TMEBOX_ARRAY_HEADER;
	_Bool		v[];
} tmebox_array_bool;

/*
 * The shape of an array with NULL elements or other dimensions than one
 * from subscript 1 (TMEBOX_ARRAY_MAXDIM and the layout: tmebox_abi.h).
 * Use the functions below rather than the fields.
 */
#define TMEBOX_ARRAY_MAXDIM		6
typedef struct tmebox_array_shape
{
	uint32_t	ndim;			/* 1..6 */
	uint32_t	has_nulls;		/* 1: nulls[] holds n flags */
	int32_t		dims[TMEBOX_ARRAY_MAXDIM];
	int32_t		lbounds[TMEBOX_ARRAY_MAXDIM];
	_Bool		nulls[];
} tmebox_array_shape;

/*
 * For any of the arrays above (a is a tmebox_array_i32 *, _i64 *, ...):
 * is element i NULL; the number of dimensions (0 for an empty array);
 * dimension k's length and lower bound (k from 0).
 */
extern _Bool tmebox_array_isnull(const void *a, uint32_t i);
extern int	tmebox_array_ndim(const void *a);
extern int32_t tmebox_array_dim(const void *a, int k);
extern int32_t tmebox_array_lbound(const void *a, int k);
/* The shape, or NULL for one dimension from 1 without NULLs. */
extern const tmebox_array_shape *tmebox_array_shape_of(const void *a);
/*
 * Make element i of a result NULL (its v[i] is then ignored), or give a
 * result ndim dimensions dims[] (their product must be n; 2202E
 * otherwise) from lower bounds lbounds[] (NULL: all 1).  Each gives the
 * array a new shape from malloc (keeping its NULLs and dimensions), which
 * the host frees with the array.  Arrays of buffers (text[], numeric[],
 * interval[], ...) take dimensions the same way; their NULL elements are
 * NULL pointers (v[i] = NULL), never tmebox_array_set_null, and
 * tmebox_array_isnull does not see them.
 */
extern void tmebox_array_set_null(void *a, uint32_t i);
extern void tmebox_array_set_dims(void *a, int ndim, const int32_t *dims,
								  const int32_t *lbounds);

/*
 * An array of byte strings: text[], varchar[], bytea[] (one-dimensional).
 * v[i] is element i, a buffer like a text or bytea argument (NUL after
 * its data on input), or NULL for a NULL element; results may hold NULL
 * elements too.  Every non-NULL element of a result must be a valid value
 * of the element type (text: no NUL, valid encoding).  RETURNS SETOF text
 * (varchar, bytea, ...) returns one: one row per element.
 */
typedef struct tmebox_array_buf
{
	TMEBOX_ARRAY_HEADER;
	tmebox_buf *v[];
} tmebox_array_buf;

/*
 * SQL types that travel as a buffer besides text and bytea: varchar and
 * char(n) (with its padding); name (its characters; a result is cut to 63
 * bytes at a character boundary); json (the text); jsonb (its text form;
 * a result must parse as jsonb; declared `const tmebox_jsonb *`, a jsonb
 * argument arrives in binary form instead: tmebox_json.h); uuid (its TMEBOX_UUID_LEN bytes; a
 * result of another length is an error).
 */
#define TMEBOX_UUID_LEN				16

/* A new buffer of len bytes (contents unspecified) and a NUL at data[len]. */
extern tmebox_buf *tmebox_buf_new(uint32_t len);
/* A new buffer holding a copy of p[0..len-1], NUL-terminated. */
extern tmebox_buf *tmebox_buf_from(const void *p, uint32_t len);
/* A new buffer holding a copy of the C string s (without its NUL). */
extern tmebox_buf *tmebox_buf_from_cstr(const char *s);

/* New arrays of n elements, all zero. */
extern tmebox_array_i32 *tmebox_array_i32_new(uint32_t n);
extern tmebox_array_i64 *tmebox_array_i64_new(uint32_t n);
extern tmebox_array_f64 *tmebox_array_f64_new(uint32_t n);
extern tmebox_array_i16 *tmebox_array_i16_new(uint32_t n);
extern tmebox_array_f32 *tmebox_array_f32_new(uint32_t n);
extern tmebox_array_bool *tmebox_array_bool_new(uint32_t n);
/* A new array of n NULL elements (set v[i] to tmebox_buf_new/_from...). */
extern tmebox_array_buf *tmebox_array_buf_new(uint32_t n);

/*
 * Dates and times in PostgreSQL's own representation (SQL date, time,
 * timestamp, timestamptz arguments and results use these types):
 *	tmebox_date			days since 2000-01-01
 *	tmebox_time			microseconds since midnight, [0, 24:00:00]
 *	tmebox_timestamp	microseconds since 2000-01-01 00:00:00 (UTC for
 *						timestamptz)
 * The infinities are TMEBOX_DATE_NEGINF/_POSINF and
 * TMEBOX_TIMESTAMP_NEGINF/_POSINF.  A returned value outside PostgreSQL's
 * range (4713 BC to 5874897 AD for dates, to 294276 AD for timestamps)
 * is an error.  Years are astronomical: 0 is 1 BC, -1 is 2 BC.
 */
typedef int32_t tmebox_date;
typedef int64_t tmebox_time;
typedef int64_t tmebox_timestamp;

#define TMEBOX_DATE_NEGINF			((tmebox_date) INT32_MIN)
#define TMEBOX_DATE_POSINF			((tmebox_date) INT32_MAX)
#define TMEBOX_TIMESTAMP_NEGINF		((tmebox_timestamp) INT64_MIN)
#define TMEBOX_TIMESTAMP_POSINF		((tmebox_timestamp) INT64_MAX)
#define TMEBOX_USECS_PER_DAY		INT64_C(86400000000)

/* The date year-month-day; an error if there is no such day. */
extern tmebox_date tmebox_date_from_ymd(int year, int month, int day);
/* The year, month (1-12) and day (1-31) of a finite date. */
extern void tmebox_date_to_ymd(tmebox_date date, int *year, int *month, int *day);
/* Day of the week of a finite date: 0 Sunday .. 6 Saturday. */
extern int	tmebox_date_dow(tmebox_date date);
/* The timestamp of date at usecs microseconds after its midnight. */
extern tmebox_timestamp tmebox_timestamp_from(tmebox_date date, tmebox_time usecs);
/* The date and time of day of a finite timestamp (floor division). */
extern void tmebox_timestamp_split(tmebox_timestamp ts, tmebox_date *date, tmebox_time *usecs);

/*
 * Value types of dynamic values (row columns, SQL parameters): the numbers
 * of the ABI's value-type table (tmebox_abi.h TMEBOX_VALUE_TYPES).
 */
#define TMEBOX_TYPE_BOOL			1
#define TMEBOX_TYPE_I16				2
#define TMEBOX_TYPE_I32				3
#define TMEBOX_TYPE_I64				4
#define TMEBOX_TYPE_F32				5
#define TMEBOX_TYPE_F64				6
#define TMEBOX_TYPE_BUF				7
#define TMEBOX_TYPE_AI32			8
#define TMEBOX_TYPE_AI64			9
#define TMEBOX_TYPE_AF64			10
#define TMEBOX_TYPE_AI16			11
#define TMEBOX_TYPE_AF32			12
#define TMEBOX_TYPE_ABOOL			13

/*
 * A row of any shape (a query's result row, a trigger's NEW/OLD): one
 * block of memory, a header, one descriptor per column, then the names
 * and values; offsets count from the row's start (ABI.md "Dynamic
 * rows").  Read it with the functions below.  A column's value travels
 * as its SQL type's value type (int4 as TMEBOX_TYPE_I32, text as
 * TMEBOX_TYPE_BUF, int8[] as TMEBOX_TYPE_AI64 ...) or, for every other
 * SQL type (numeric, interval, composite, arrays with NULLs...), as its
 * text output: TMEBOX_TYPE_BUF with TMEBOX_COL_TEXT.  A row is the
 * caller's: free it with free().
 */
#define TMEBOX_COL_NULL				1	/* SQL NULL */
#define TMEBOX_COL_TEXT				2	/* the value is the type's text form */
#define TMEBOX_COL_DROPPED			4	/* a dropped column (always NULL) */

typedef struct tmebox_col
{
	uint32_t	name;			/* offset of the NUL-terminated name */
	uint32_t	value;			/* offset of the value; 0 when NULL */
	uint32_t	vsize;			/* bytes of the value (buffer: 4 + len) */
	uint32_t	sqltype;		/* the SQL type's OID */
	uint16_t	type;			/* TMEBOX_TYPE_* */
	uint16_t	flags;			/* TMEBOX_COL_* */
	uint32_t	_pad;
} tmebox_col;

typedef struct tmebox_row
{
	uint32_t	ncols;
	uint32_t	size;			/* bytes of the whole block */
	tmebox_col	col[];
} tmebox_row;

/*
 * A set of rows: what a function declared RETURNS SETOF record returns
 * (`tmebox_rows *`; NULL = no rows).  v[i] NULL is a row of NULLs.
 * tmebox_rows_new(n): n rows, all NULL, to fill (free the set and each
 * row; the host frees what it copied when the function returns them).
 */
typedef struct tmebox_rows
{
	uint32_t	n;
	uint32_t	_pad;			/* zero */
	tmebox_row *v[];
} tmebox_rows;

extern tmebox_rows *tmebox_rows_new(uint32_t n);

/*
 * tmebox_row_new(ncols, types): a new row of ncols NULL columns (a
 * `record` result: one column per column of the caller's definition
 * list), column i of value type types[i] (TMEBOX_TYPE_*; types NULL:
 * none yet), so tmebox_row_set_int/_float work on it; tmebox_row_set and
 * tmebox_row_set_text work on any column.  Its columns have no names and
 * no SQL type: the host checks each value against the caller's column.
 * NULL when out of memory.
 */
extern tmebox_row *tmebox_row_new(int ncols, const int *types);

/*
 * Reading a row; i counts from 0.  An i out of range raises an error.
 * tmebox_row_find: the index of column `name`, or -1.
 * tmebox_row_isnull: SQL NULL (dropped columns too).
 * tmebox_row_int: a bool/int2/int4/int8 column (NULL: 0).
 * tmebox_row_float: a float4/float8 column, or an integer one (NULL: 0).
 * tmebox_row_buf: a buffer column (text, bytea, ... or any text form);
 *		NULL for SQL NULL.  tmebox_row_text: its data as a C string.
 * tmebox_row_value: the value's bytes (a scalar, a tmebox_buf, a
 *		tmebox_array_*), NULL for SQL NULL.
 * A column of another value type than the function asks for raises an
 * error naming it.
 */
extern int	tmebox_row_ncols(const tmebox_row *row);
extern const char *tmebox_row_name(const tmebox_row *row, int i);
extern int	tmebox_row_find(const tmebox_row *row, const char *name);
extern int	tmebox_row_isnull(const tmebox_row *row, int i);
extern int	tmebox_row_type(const tmebox_row *row, int i);
extern uint32_t tmebox_row_sqltype(const tmebox_row *row, int i);
extern int	tmebox_row_is_text(const tmebox_row *row, int i);
extern int64_t tmebox_row_int(const tmebox_row *row, int i);
extern double tmebox_row_float(const tmebox_row *row, int i);
extern const tmebox_buf *tmebox_row_buf(const tmebox_row *row, int i);
extern const char *tmebox_row_text(const tmebox_row *row, int i);
extern const void *tmebox_row_value(const tmebox_row *row, int i);

/*
 * Changing a row (a BEFORE trigger's NEW): each returns the row, moved
 * (realloc) when the new value did not fit; use the returned pointer.
 * tmebox_row_set: column i to `size` bytes at value of value type `type`
 * (a scalar's bytes, or a whole tmebox_buf / tmebox_array_*: size counts
 * its header); tmebox_row_set_int/_float/_text: the usual cases (an
 * integer column of any width, float4/float8, any column from its text
 * form: the host parses it with the type's input function);
 * tmebox_row_set_null: SQL NULL.  The host checks everything when the
 * row comes back.
 */
extern tmebox_row *tmebox_row_set(tmebox_row *row, int i, int type,
								  const void *value, uint32_t size);
extern tmebox_row *tmebox_row_set_null(tmebox_row *row, int i);
extern tmebox_row *tmebox_row_set_int(tmebox_row *row, int i, int64_t v);
extern tmebox_row *tmebox_row_set_float(tmebox_row *row, int i, double v);
extern tmebox_row *tmebox_row_set_text(tmebox_row *row, int i, const char *text);

/*
 * SQL numeric, exactly as PostgreSQL holds it (a numeric argument or
 * result is a `tmebox_numeric *`, and so is a numeric column of a row's
 * struct, checked alike; numeric[] a tmebox_array_numeric):
 * base-10000 digits, most significant first, digits[0] worth
 * 10000^weight, dscale decimal digits shown after the point.  Zero has no
 * digits; NaN and the infinities have no digits and sign
 * TMEBOX_NUMERIC_NAN/_PINF/_NINF.  Compute with the tmebox_num_* functions
 * below (exact; nothing goes through a double): each checks its arguments
 * and returns a new value from malloc (free it when done, or leave it to
 * the host as a result).  The host checks a returned value: a malformed
 * one (bad length, sign or digit, digits past dscale, more than 36864
 * digits) is 22P03, one past numeric's range (131072 digits before the
 * point, 16383 after) 22003; a domain's numeric(p,s) is applied.
 */
typedef struct tmebox_numeric
{
	uint32_t	len;			/* bytes after this field: 8 + 2 * ndigits */
	uint16_t	sign;			/* TMEBOX_NUMERIC_POS, _NEG, _NAN, _PINF, _NINF */
	uint16_t	dscale;			/* decimal digits after the point, <= 16383 */
	int32_t		weight;			/* digits[0] counts 10000^weight */
	uint16_t	digits[];		/* each 0..9999 */
} tmebox_numeric;

#define TMEBOX_NUMERIC_HDR			8
#define TMEBOX_NUMERIC_NDIGITS(x)	(((x)->len - TMEBOX_NUMERIC_HDR) / 2)
#define TMEBOX_NUMERIC_POS			0x0000
#define TMEBOX_NUMERIC_NEG			0x4000
#define TMEBOX_NUMERIC_NAN			0xC000
#define TMEBOX_NUMERIC_PINF			0xD000
#define TMEBOX_NUMERIC_NINF			0xF000

/* numeric[] (one-dimensional): v[i] NULL for a NULL element. */
typedef struct tmebox_array_numeric
{
	TMEBOX_ARRAY_HEADER;
	tmebox_numeric *v[];
} tmebox_array_numeric;

/* Rounding of tmebox_num_div and tmebox_num_round_mode. */
typedef enum tmebox_rounding
{
	TMEBOX_ROUND_HALF_UP,		/* half away from zero: PostgreSQL's round */
	TMEBOX_ROUND_HALF_EVEN,		/* half to the even digit */
	TMEBOX_ROUND_TRUNC,			/* toward zero: PostgreSQL's trunc */
	TMEBOX_ROUND_FLOOR,			/* toward -Infinity */
	TMEBOX_ROUND_CEIL			/* toward +Infinity */
} tmebox_rounding;

/* numeric_in's syntax ("12.50", "-1e3", "NaN", "-Infinity"; 22P02 else). */
extern tmebox_numeric *tmebox_num_parse(const char *s);
/* numeric_out's text ("12.50", "NaN"). */
extern tmebox_buf *tmebox_num_to_text(const tmebox_numeric *x);
/*
 * A numeric column of a dynamic row (SQL access, trigger rows, records:
 * numeric travels there as its text form, exact) as a tmebox_numeric
 * (NULL for SQL NULL; a column that is no buffer raises an error), and
 * column i set to x (x NULL: SQL NULL), as tmebox_row_set_text does.
 */
extern tmebox_numeric *tmebox_row_numeric(const tmebox_row *row, int i);
extern tmebox_row *tmebox_row_set_numeric(tmebox_row *row, int i, const tmebox_numeric *x);
extern tmebox_numeric *tmebox_num_from_int64(int64_t v);
/* Rounded half away from zero; 22003 out of range, 0A000 for NaN/Inf. */
extern int64_t tmebox_num_to_int64(const tmebox_numeric *x);
/* Exact: scale max of the two (add, sub), their sum (mul, at most 16383). */
extern tmebox_numeric *tmebox_num_add(const tmebox_numeric *a, const tmebox_numeric *b);
extern tmebox_numeric *tmebox_num_sub(const tmebox_numeric *a, const tmebox_numeric *b);
extern tmebox_numeric *tmebox_num_mul(const tmebox_numeric *a, const tmebox_numeric *b);
/* a / b rounded by mode to scale (0..16383) digits; 22012 when b is 0. */
extern tmebox_numeric *tmebox_num_div(const tmebox_numeric *a, const tmebox_numeric *b,
									  int32_t scale, tmebox_rounding mode);
/* round and trunc to scale digits after the point (negative: tens...). */
extern tmebox_numeric *tmebox_num_round(const tmebox_numeric *x, int32_t scale);
extern tmebox_numeric *tmebox_num_trunc(const tmebox_numeric *x, int32_t scale);
extern tmebox_numeric *tmebox_num_round_mode(const tmebox_numeric *x, int32_t scale,
											 tmebox_rounding mode);
/* -1, 0, 1 in PostgreSQL's order: -Infinity < numbers < Infinity < NaN. */
extern int	tmebox_num_cmp(const tmebox_numeric *a, const tmebox_numeric *b);
extern tmebox_numeric *tmebox_num_neg(const tmebox_numeric *x);
/* NaN or an infinity: sign TMEBOX_NUMERIC_NAN, _PINF or _NINF. */
extern tmebox_numeric *tmebox_num_special(uint16_t sign);
/* A new numeric[] of n NULL elements. */
extern tmebox_array_numeric *tmebox_array_numeric_new(uint32_t n);

/*
 * SQL interval, PostgreSQL's representation: months, days and
 * microseconds, each kept apart (1 month is not 30 days until justified).
 * An argument or result is a `tmebox_interval *` (len is always
 * TMEBOX_INTERVAL_LEN; make one with tmebox_interval_make), and so is an
 * interval column of a row's struct; interval[] a
 * tmebox_array_interval.  Any values of the three fields are an interval
 * PostgreSQL 15 can hold and print; a result whose len is not
 * TMEBOX_INTERVAL_LEN is an invalid result (38000).  The helpers raise
 * 22008 where PostgreSQL's own operators overflow.
 */
typedef struct tmebox_interval
{
	uint32_t	len;			/* TMEBOX_INTERVAL_LEN */
	uint32_t	_pad;			/* zero */
	int64_t		time;			/* microseconds */
	int32_t		day;
	int32_t		month;
} tmebox_interval;

#define TMEBOX_INTERVAL_LEN			20

typedef struct tmebox_array_interval
{
	TMEBOX_ARRAY_HEADER;
	tmebox_interval *v[];
} tmebox_array_interval;

extern tmebox_interval *tmebox_interval_make(int32_t months, int32_t days, int64_t usecs);
/* ts + iv as PostgreSQL's timestamp + interval (months, then days, then
 * time; a day past the month's end clamped); in UTC for timestamptz. */
extern tmebox_timestamp tmebox_timestamp_add_interval(tmebox_timestamp ts,
													  const tmebox_interval *iv);
/* PostgreSQL's interval order (a month counts 30 days, a day 24 hours). */
extern int	tmebox_interval_cmp(const tmebox_interval *a, const tmebox_interval *b);
/* justify_interval: 24 hours to a day, 30 days to a month, signs agreeing. */
extern tmebox_interval *tmebox_interval_justify(const tmebox_interval *iv);
extern tmebox_array_interval *tmebox_array_interval_new(uint32_t n);

/*
 * SQL access: run statements as the calling user (with that user's
 * privileges; read-only in a STABLE or IMMUTABLE function).  Parameters
 * $1..$n are tmebox_sql_arg values, built with the macros below; each is
 * typed by its value type (TMEBOX_SQL_INT4 is an int4 parameter,
 * TMEBOX_SQL_TEXT a text one) or, with TMEBOX_SQL_AS, any SQL type
 * parsed from its text form.  Results hold rows as tmebox_row (above),
 * copied into the sandbox's memory one at a time (tmebox_sql_row), so a
 * large result read through a cursor needs memory for one batch only.
 *
 * Errors: tmebox_sql, tmebox_sql_exec and tmebox_sql_fetch raise a SQL
 * error as the function's own (the call ends; the ERROR keeps its
 * SQLSTATE and message).  Their _try variants run the statement in a
 * subtransaction and return a failed result instead (ok 0, sqlstate,
 * message): the error is handled, its effects rolled back, and the
 * function goes on (tmebox_sql_raise raises it after all).  Query cancel
 * and statement_timeout always end the call.
 *
 * Results, plans and cursors belong to the current call: they are freed
 * when it ends (free them earlier with tmebox_sql_free,
 * tmebox_sql_plan_free, tmebox_sql_close).  Statements of tmebox_sql are
 * prepared once per session; tmebox_sql_prepare gives a plan for the call.
 * A statement may not call tmebox functions (nor fire tmebox triggers):
 * that is an error.
 */
typedef struct tmebox_sql_arg
{
	int32_t		type;			/* TMEBOX_TYPE_* */
	uint32_t	sqltype;		/* 0: the value type's own SQL type; else
								 * the parameter's SQL type (an OID) */
	uint8_t		isnull;			/* SQL NULL of that type */
	uint8_t		text;			/* p is the value's text form */
	uint16_t	_pad;
	uint32_t	len;			/* bytes at p (UINT32_MAX: a C string) */
	int64_t		i;				/* bool, integers */
	double		f;				/* float4, float8 */
	const void *p;				/* buffers, arrays, text forms */
} tmebox_sql_arg;

#define TMEBOX_SQL_BOOL(v)		((tmebox_sql_arg) {.type = TMEBOX_TYPE_BOOL, .i = (v) != 0})
#define TMEBOX_SQL_INT2(v)		((tmebox_sql_arg) {.type = TMEBOX_TYPE_I16, .i = (v)})
#define TMEBOX_SQL_INT4(v)		((tmebox_sql_arg) {.type = TMEBOX_TYPE_I32, .i = (v)})
#define TMEBOX_SQL_INT8(v)		((tmebox_sql_arg) {.type = TMEBOX_TYPE_I64, .i = (v)})
#define TMEBOX_SQL_FLOAT4(v)	((tmebox_sql_arg) {.type = TMEBOX_TYPE_F32, .f = (v)})
#define TMEBOX_SQL_FLOAT8(v)	((tmebox_sql_arg) {.type = TMEBOX_TYPE_F64, .f = (v)})
/* text from a C string, or from a tmebox_buf (bytea too: TMEBOX_SQL_BYTEA) */
#define TMEBOX_SQL_TEXT(s)		((tmebox_sql_arg) {.type = TMEBOX_TYPE_BUF, .p = (s), .len = UINT32_MAX})
#define TMEBOX_SQL_BUF(b)		((tmebox_sql_arg) {.type = TMEBOX_TYPE_BUF, .p = (b)->data, .len = (b)->len})
#define TMEBOX_SQL_BYTEA(b)		((tmebox_sql_arg) {.type = TMEBOX_TYPE_BUF, .sqltype = 17, .p = (b)->data, .len = (b)->len})
/* an array: TMEBOX_SQL_ARRAY(TMEBOX_TYPE_AI32, a) for a tmebox_array_i32 * */
#define TMEBOX_SQL_ARRAY(t, a)	((tmebox_sql_arg) {.type = (t), .p = (a)})
/* any SQL type (its OID) from its text form: TMEBOX_SQL_AS(1700, "1.5") */
#define TMEBOX_SQL_AS(oid, s)	((tmebox_sql_arg) {.type = TMEBOX_TYPE_BUF, .sqltype = (oid), .text = 1, .p = (s), .len = UINT32_MAX})
/* SQL NULL: of type text, or of a value type's SQL type */
#define TMEBOX_SQL_NULL			((tmebox_sql_arg) {.type = TMEBOX_TYPE_BUF, .isnull = 1})
#define TMEBOX_SQL_NULL_OF(t)	((tmebox_sql_arg) {.type = (t), .isnull = 1})

typedef struct tmebox_sql_result
{
	int			ok;				/* 1: the statement ran; 0: it failed */
	char		sqlstate[6];	/* "00000", or the error's SQLSTATE */
	uint32_t	nrows;			/* rows held: tmebox_sql_row(r, 0..nrows-1) */
	int64_t		processed;		/* rows returned, or affected */
	const char *message;		/* the error's message; "" when ok */
	int32_t		handle;			/* the host's handle of the rows */
} tmebox_sql_result;

typedef struct tmebox_sql_plan tmebox_sql_plan;	/* opaque */
typedef struct tmebox_sql_cursor tmebox_sql_cursor;	/* opaque */

extern tmebox_sql_result *tmebox_sql(const char *query, int nargs,
									 const tmebox_sql_arg *args);
extern tmebox_sql_result *tmebox_sql_try(const char *query, int nargs,
										 const tmebox_sql_arg *args);
/* Row i of r, a new block (free() it); NULL past the last row. */
extern tmebox_row *tmebox_sql_row(const tmebox_sql_result *r, uint32_t i);
extern void tmebox_sql_free(tmebox_sql_result *r);
extern _Noreturn void tmebox_sql_raise(const tmebox_sql_result *r);
/* The first column of the first row as an integer (*isnull: SQL NULL or
 * no row; isnull may be NULL). */
extern int64_t tmebox_sql_int(const char *query, int nargs,
							  const tmebox_sql_arg *args, int *isnull);

/* A plan: args give the parameters' types (their values are ignored). */
extern tmebox_sql_plan *tmebox_sql_prepare(const char *query, int nargs,
										   const tmebox_sql_arg *args);
extern tmebox_sql_result *tmebox_sql_exec(tmebox_sql_plan *plan, int nargs,
										  const tmebox_sql_arg *args);
extern tmebox_sql_result *tmebox_sql_exec_try(tmebox_sql_plan *plan, int nargs,
											  const tmebox_sql_arg *args);
extern void tmebox_sql_plan_free(tmebox_sql_plan *plan);
/* A cursor over a plan's rows; tmebox_sql_fetch: the next n at most
 * (nrows 0: no more). */
extern tmebox_sql_cursor *tmebox_sql_open(tmebox_sql_plan *plan, int nargs,
										  const tmebox_sql_arg *args);
extern tmebox_sql_result *tmebox_sql_fetch(tmebox_sql_cursor *cur, uint32_t n);
extern tmebox_sql_result *tmebox_sql_fetch_try(tmebox_sql_cursor *cur, uint32_t n);
extern void tmebox_sql_close(tmebox_sql_cursor *cur);
/* The first row of the result whose handle is `handle` (r->handle), a
 * new block; NULL for handle 0 or an empty result. */
extern tmebox_row *tmebox_row_get(int32_t handle);

/* Levels of tmebox_log; the server reports them as DEBUG1, NOTICE, NOTICE and
 * WARNING (never INFO, which client_min_messages cannot filter). */
#define TMEBOX_LOG_DEBUG		0
#define TMEBOX_LOG_INFO			1
#define TMEBOX_LOG_NOTICE		2
#define TMEBOX_LOG_WARNING		3

/* Longest message the host keeps; a longer one is truncated. */
#define TMEBOX_MESSAGE_MAX		4096

extern _Noreturn void __tmebox_error(const __tmebox_arg *__pack, int __n);
extern void __tmebox_log(int __level, const __tmebox_arg *__pack, int __n);

/*
 * tmebox_error(fmt, ...): format like printf and raise an SQL ERROR with
 * that message.  Never returns: the call ends with an "error raised by the
 * function" fault and the instance is reset.
 */
#define tmebox_error(...) \
	(__TMEBOX_FMTCHECK(__VA_ARGS__), __tmebox_error(__TMEBOX_PACK(__VA_ARGS__)))

/*
 * tmebox_error_code(sqlstate, fmt, ...): tmebox_error with the SQLSTATE
 * sqlstate ("22012": five of 0-9 A-Z; an invalid one, or a class 00, 01
 * or 02 that is no error, becomes P0001).
 */
extern _Noreturn void __tmebox_error_code(const char *__state, const __tmebox_arg *__pack,
										  int __n);
#define tmebox_error_code(state, ...) \
	(__TMEBOX_FMTCHECK(__VA_ARGS__), \
	 __tmebox_error_code((state), __TMEBOX_PACK(__VA_ARGS__)))

/* tmebox_log(level, fmt, ...): format like printf and log at that level. */
#define tmebox_log(level, ...) \
	(__TMEBOX_FMTCHECK(__VA_ARGS__), \
	 __tmebox_log((level), __TMEBOX_PACK(__VA_ARGS__)))

/* tmebox_notice(fmt, ...): tmebox_log(TMEBOX_LOG_NOTICE, fmt, ...). */
#define tmebox_notice(...) tmebox_log(TMEBOX_LOG_NOTICE, __VA_ARGS__)

/*
 * Triggers (CREATE FUNCTION f() RETURNS trigger LANGUAGE tmebox).  A body
 * sees `tmebox_trigger *tg` and returns a tmebox_row *: the row to write
 * (tg->new_row, changed or not, or any row of the table's shape), or
 * NULL to skip the row (BEFORE ROW and INSTEAD OF triggers; the result of
 * AFTER and statement-level triggers is ignored, as PostgreSQL does).  A
 * module defines one with TMEBOX_TRIGGER(name) { ... } and binds it with
 * AS 'module.name'.
 *
 * The rows are the trigger's: change tg->new_row with tmebox_row_set*
 * and assign the result back (tg->new_row = tmebox_row_set_int(tg->new_row,
 * i, 42)), since a change may move the row.  When the function returns,
 * the returned row, tg->new_row and tg->old_row are freed (each once): do
 * not free them, and do not keep them.  The host checks the returned row
 * column by column against the table (count, types, values, domains);
 * returning tg->new_row untouched costs one comparison, not a check.
 */
#define TMEBOX_TG_INSERT			1
#define TMEBOX_TG_UPDATE			2
#define TMEBOX_TG_DELETE			3
#define TMEBOX_TG_TRUNCATE			4
#define TMEBOX_TG_BEFORE			1
#define TMEBOX_TG_AFTER				2
#define TMEBOX_TG_INSTEAD_OF		3
#define TMEBOX_TG_ROW				1
#define TMEBOX_TG_STATEMENT			2

typedef struct tmebox_trigger
{
	const char *name;			/* the trigger's name (TG_NAME) */
	const char *table_name;		/* TG_TABLE_NAME */
	const char *table_schema;	/* TG_TABLE_SCHEMA */
	uint32_t	relid;			/* TG_RELID: the table's OID */
	int			op;				/* TMEBOX_TG_INSERT, _UPDATE, _DELETE, _TRUNCATE */
	int			when;			/* TMEBOX_TG_BEFORE, _AFTER, _INSTEAD_OF */
	int			level;			/* TMEBOX_TG_ROW, _STATEMENT */
	const char *op_name;		/* TG_OP: "INSERT", "UPDATE", "DELETE", "TRUNCATE" */
	const char *when_name;		/* TG_WHEN: "BEFORE", "AFTER", "INSTEAD OF" */
	const char *level_name;		/* TG_LEVEL: "ROW", "STATEMENT" */
	int			nargs;			/* TG_NARGS: arguments of CREATE TRIGGER */
	const char *const *args;	/* TG_ARGV[0 .. nargs - 1] */
	tmebox_row *new_row;		/* NEW: row-level INSERT and UPDATE; else NULL */
	tmebox_row *old_row;		/* OLD: row-level UPDATE and DELETE; else NULL */
} tmebox_trigger;

extern int32_t __tmebox_trigger_run(int32_t __info, int32_t __new, int32_t __old,
									tmebox_row *(*__fn) (tmebox_trigger *tg));

/*
 * TMEBOX_TRIGGER(name) { body }: defines the trigger function `name`,
 * whose body sees `tmebox_trigger *tg` and returns a tmebox_row *.  (The
 * export `name` the host calls takes the sizes of what it passes in;
 * the sandbox libc does the rest.)
 */
#define TMEBOX_TRIGGER(name) \
	static tmebox_row *__tmebox_trigger_##name(tmebox_trigger *tg); \
	int32_t name(int32_t __info, int32_t __new, int32_t __old) \
	{ \
		return __tmebox_trigger_run(__info, __new, __old, __tmebox_trigger_##name); \
	} \
	static tmebox_row *__tmebox_trigger_##name(tmebox_trigger *tg)

#endif							/* _TMEBOX_H */
