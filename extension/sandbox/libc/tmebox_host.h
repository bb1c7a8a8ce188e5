/*-------------------------------------------------------------------------
 *
 * tmebox_host.h
 *		Private to the sandbox libc: declarations of the host calls.
 *
 * tmebox-cc turns every call of a function named __tmebox_host_NAME into
 * a call through __tmebox_hosttab[INDEX] (see TMEBOX_HOSTCALLS in
 * tmebox_abi.h).  Here, inside the sandbox, pointer parameters are written
 * as pointers (a pointer is a view offset); the host sees them as
 * uint64_t.  The pure math calls are declared straight from the ABI's
 * X-macro; the others by hand, because their pointer parameters appear as
 * uint64_t in the X-macro.
 *
 * Invariants:
 *	- One declaration per entry of TMEBOX_HOSTCALLS, same name, same
 *	  argument count and order, same scalar types; pointer parameters are
 *	  exactly the ABI parameters that carry view offsets.
 *	- trap and error never return.  sbrk returns the old break as a view
 *	  offset and never returns on failure; a negative increment (two's
 *	  complement) lowers the break and gives the pages above it back.
 *	- Not installed in include/: user code cannot name host calls through
 *	  a header (tmebox-cc decides whether it may call them at all).
 *
 *-------------------------------------------------------------------------
 */
#ifndef TMEBOX_HOST_H
#define TMEBOX_HOST_H

#include <stdint.h>
#include "tmebox_abi.h"

extern _Noreturn void __tmebox_host_trap(int32_t code);
extern void __tmebox_host_interrupt(void);
extern uint64_t __tmebox_host_sbrk(uint64_t increment);
extern void __tmebox_host_memmove(void *dst, const void *src, uint64_t n);
extern void __tmebox_host_memset(void *dst, int32_t c, uint64_t n);
extern _Noreturn void __tmebox_host_error(const char *msg, uint64_t len);
extern void __tmebox_host_log(int32_t level, const char *msg, uint64_t len);
/* error with a SQLSTATE packed as TMEBOX_SQLSTATE */
extern _Noreturn void __tmebox_host_error_code(int32_t sqlstate, const char *msg,
											   uint64_t len);

/*
 * Formats v with the printf conversion spec[0..speclen-1] ("%", flags,
 * width, precision, one of aAeEfFgG; no '*', no length modifier) into
 * out[0..cap-1] like snprintf: returns the length of the full text (which
 * was truncated if >= cap, NUL-terminated when cap > 0), negative if the
 * host refused the spec.
 */
extern int32_t __tmebox_host_fmt_double(char *out, uint64_t cap,
										const char *spec, uint64_t speclen,
										double v);

/* C-locale strtod/strtof of the NUL-terminated str; *endp gets the end. */
extern double __tmebox_host_strtod(const char *str, char **endp);
extern float __tmebox_host_strtof(const char *str, char **endp);

/* SQL access (pl/pl_spi.c): handles, the caller's buffers */
extern uint64_t __tmebox_host_sql_info(int32_t h, void *out, uint64_t cap);
extern uint64_t __tmebox_host_sql_row(int32_t h, int64_t row, void *out, uint64_t cap);
extern void __tmebox_host_sql_free(int32_t h);
extern _Noreturn void __tmebox_host_sql_raise(int32_t h);
extern int32_t __tmebox_host_sql_exec(const char *query, uint64_t qlen, const void *params,
									  uint64_t psize, int64_t limit, int32_t flags);
extern int32_t __tmebox_host_sql_prepare(const char *query, uint64_t qlen,
										 const void *params, uint64_t psize);
extern int32_t __tmebox_host_sql_exec_plan(int32_t plan, const void *params, uint64_t psize,
										   int64_t limit, int32_t flags);
extern int32_t __tmebox_host_sql_open(int32_t plan, const void *params, uint64_t psize,
									  int32_t flags);
extern int32_t __tmebox_host_sql_fetch(int32_t cursor, int64_t n, int32_t flags);

/* triggers (trigger.c): the description and rows into these blocks; the
 * returned row to the host */
extern void __tmebox_host_trigger_data(void *info, void *new_row, void *old_row);
extern void __tmebox_host_trigger_result(const void *row, uint64_t size);

#define TMEBOX_HOST_DECLARE_MATH(index, name, ret, params) \
	extern ret __tmebox_host_##name params;
TMEBOX_HOSTCALLS_MATH(TMEBOX_HOST_DECLARE_MATH)
#undef TMEBOX_HOST_DECLARE_MATH

#endif							/* TMEBOX_HOST_H */
