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

/* One-dimensional arrays without NULL elements: int4[], int8[], float8[],
 * int2[], float4[], bool[]. */
typedef struct tmebox_array_i32
{
	uint32_t	n;				/* number of elements */
	uint32_t	_pad;			/* zero; keeps v 8-byte aligned */
	int32_t		v[];
} tmebox_array_i32;

typedef struct tmebox_array_i64
{
	uint32_t	n;
	uint32_t	_pad;
	int64_t		v[];
} tmebox_array_i64;

typedef struct tmebox_array_f64
{
	uint32_t	n;
	uint32_t	_pad;
	double		v[];
} tmebox_array_f64;

typedef struct tmebox_array_i16
{
	uint32_t	n;
	uint32_t	_pad;
	int16_t		v[];
} tmebox_array_i16;

typedef struct tmebox_array_f32
{
	uint32_t	n;
	uint32_t	_pad;
	float		v[];
} tmebox_array_f32;

typedef struct tmebox_array_bool
{
	uint32_t	n;
	uint32_t	_pad;
	_Bool		v[];
} tmebox_array_bool;

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
	uint32_t	n;
	uint32_t	_pad;
	tmebox_buf *v[];
} tmebox_array_buf;

/*
 * SQL types that travel as a buffer besides text and bytea: varchar and
 * char(n) (with its padding); name (its characters; a result is cut to 63
 * bytes at a character boundary); json (the text); jsonb (its text form;
 * a result must parse as jsonb); uuid (its TMEBOX_UUID_LEN bytes; a
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

/* tmebox_log(level, fmt, ...): format like printf and log at that level. */
#define tmebox_log(level, ...) \
	(__TMEBOX_FMTCHECK(__VA_ARGS__), \
	 __tmebox_log((level), __TMEBOX_PACK(__VA_ARGS__)))

/* tmebox_notice(fmt, ...): tmebox_log(TMEBOX_LOG_NOTICE, fmt, ...). */
#define tmebox_notice(...) tmebox_log(TMEBOX_LOG_NOTICE, __VA_ARGS__)

#endif							/* _TMEBOX_H */
