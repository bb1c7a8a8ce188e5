/*-------------------------------------------------------------------------
 *
 * tmebox_api.c
 *		Sandbox libc: the tmebox.h API -- buffer and array constructors,
 *		tmebox_error and tmebox_log.
 *
 * Invariants:
 *	- The tmebox.h layouts and constants agree with tmebox_abi.h (checked
 *	  at compile time below: both headers are included, so a differing
 *	  TMEBOX_LOG_* or TMEBOX_MESSAGE_MAX is a macro redefinition error).
 *	- Constructors never return NULL; a size that cannot be allocated
 *	  raises an error.  Messages are cut to TMEBOX_MESSAGE_MAX - 1 bytes,
 *	  at a UTF-8 character boundary.
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>

#include "tmebox_host.h"
#include <tmebox.h>
#include "format.h"

_Static_assert(sizeof(tmebox_buf) == 4, "tmebox_buf header is 4 bytes");
_Static_assert(offsetof(tmebox_array_i32, v) == 8, "array header is 8 bytes");
_Static_assert(offsetof(tmebox_array_i64, v) == 8, "array header is 8 bytes");
_Static_assert(offsetof(tmebox_array_f64, v) == 8, "array header is 8 bytes");

static _Noreturn void
alloc_error(const char *what, uint64_t n)
{
	char		msg[128];
	int			len;

	len = snprintf(msg, sizeof msg, "%s: cannot allocate %lu elements",
				   what, (unsigned long) n);
	__tmebox_host_error(msg, (uint64_t) len);
}

tmebox_buf *
tmebox_buf_new(uint32_t len)
{
	tmebox_buf *b = malloc(sizeof(tmebox_buf) + (size_t) len + 1);

	if (b == NULL)
		alloc_error("tmebox_buf_new", len);
	b->len = len;
	b->data[len] = '\0';
	return b;
}

tmebox_buf *
tmebox_buf_from(const void *p, uint32_t len)
{
	tmebox_buf *b = tmebox_buf_new(len);

	memcpy(b->data, p, len);
	return b;
}

tmebox_buf *
tmebox_buf_from_cstr(const char *s)
{
	size_t		len = strlen(s);

	if (len > UINT32_MAX)
		alloc_error("tmebox_buf_from_cstr", len);
	return tmebox_buf_from(s, (uint32_t) len);
}

/* An array of n zeroed elements of elemsize bytes after an 8-byte header. */
static void *
array_new(const char *what, uint32_t n, size_t elemsize)
{
	uint32_t   *a = calloc(1, 8 + (size_t) n * elemsize);

	if (a == NULL)
		alloc_error(what, n);
	a[0] = n;
	return a;
}

tmebox_array_i32 *
tmebox_array_i32_new(uint32_t n)
{
	return array_new("tmebox_array_i32_new", n, sizeof(int32_t));
}

tmebox_array_i64 *
tmebox_array_i64_new(uint32_t n)
{
	return array_new("tmebox_array_i64_new", n, sizeof(int64_t));
}

tmebox_array_f64 *
tmebox_array_f64_new(uint32_t n)
{
	return array_new("tmebox_array_f64_new", n, sizeof(double));
}

tmebox_array_i16 *
tmebox_array_i16_new(uint32_t n)
{
	return array_new("tmebox_array_i16_new", n, sizeof(int16_t));
}

tmebox_array_f32 *
tmebox_array_f32_new(uint32_t n)
{
	return array_new("tmebox_array_f32_new", n, sizeof(float));
}

tmebox_array_bool *
tmebox_array_bool_new(uint32_t n)
{
	return array_new("tmebox_array_bool_new", n, sizeof(_Bool));
}

tmebox_array_buf *
tmebox_array_buf_new(uint32_t n)
{
	return array_new("tmebox_array_buf_new", n, sizeof(tmebox_buf *));
}

tmebox_array_numeric *
tmebox_array_numeric_new(uint32_t n)
{
	return array_new("tmebox_array_numeric_new", n, sizeof(tmebox_numeric *));
}

tmebox_array_interval *
tmebox_array_interval_new(uint32_t n)
{
	return array_new("tmebox_array_interval_new", n, sizeof(tmebox_interval *));
}

/* Formats into msg (TMEBOX_MESSAGE_MAX bytes); returns the kept length. */
static uint64_t
format_message(char *msg, const __tmebox_arg *pack, int n)
{
	int			len = __tmebox_snprintf(msg, TMEBOX_MESSAGE_MAX, pack, n);

	if (len < 0)
	{
		/* not a string format: say so rather than lose the message */
		strcpy(msg, "(invalid format)");
		return strlen(msg);
	}
	if ((uint64_t) len < TMEBOX_MESSAGE_MAX)
		return (uint64_t) len;
	/* cut, but never inside a UTF-8 character */
	return tmb_utf8_cut(msg, TMEBOX_MESSAGE_MAX - 1);
}

void
__tmebox_error(const __tmebox_arg *pack, int n)
{
	char		msg[TMEBOX_MESSAGE_MAX];
	uint64_t	len = format_message(msg, pack, n);

	__tmebox_host_error(msg, len);
}

void
__tmebox_error_code(const char *state, const __tmebox_arg *pack, int n)
{
	char		msg[TMEBOX_MESSAGE_MAX];
	uint64_t	len = format_message(msg, pack, n);
	int32_t		code = -1;		/* the host makes an invalid code P0001 */

	if (state != NULL && strlen(state) == 5)
		code = TMEBOX_SQLSTATE(state[0], state[1], state[2], state[3], state[4]);
	__tmebox_host_error_code(code, msg, len);
}

void
__tmebox_log(int level, const __tmebox_arg *pack, int n)
{
	char		msg[TMEBOX_MESSAGE_MAX];
	uint64_t	len = format_message(msg, pack, n);

	__tmebox_host_log(level, msg, len);
}
