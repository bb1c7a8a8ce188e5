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
 * heap, copies it out and frees it.
 *
 * Invariants:
 *	- The layouts below are the ABI type codes buf, ai32, ai64, af64
 *	  (ABI.md): a 4-byte length for buffers, an 8-byte header for arrays
 *	  so the elements are 8-byte aligned.
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

/* One-dimensional arrays without NULL elements: int4[], int8[], float8[]. */
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
