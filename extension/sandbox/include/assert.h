/*-------------------------------------------------------------------------
 *
 * assert.h
 *		Sandbox C library: assert and static_assert (C11 7.2).
 *
 * A failed assert raises an error through the host ("assertion failed:
 * EXPR (FILE:LINE)"), which ends the call with an error-raised-by-the-
 * function fault.  Like every assert.h it may be included several times
 * with NDEBUG changing in between.
 *
 * Invariants: with NDEBUG the argument is not evaluated.
 *
 *-------------------------------------------------------------------------
 */
#undef assert

#ifdef NDEBUG
#define assert(expr) ((void) 0)
#else
extern _Noreturn void __tmebox_assert_fail(const char *expr,
										   const char *file, int line);
#define assert(expr) \
	((expr) ? (void) 0 : __tmebox_assert_fail(#expr, __FILE__, __LINE__))
#endif

#ifndef __cplusplus
#undef static_assert
#define static_assert _Static_assert
#endif
