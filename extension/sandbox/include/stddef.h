/*-------------------------------------------------------------------------
 *
 * stddef.h
 *		Sandbox C library: common definitions (C11 7.19).
 *
 * Invariants: LP64 x86-64; every type comes from a compiler-predefined
 * macro so the header depends on no other file.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_STDDEF_H
#define _TMEBOX_STDDEF_H

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
#ifndef __cplusplus
typedef __WCHAR_TYPE__ wchar_t;
#endif

typedef struct
{
	long long	__max_align_ll __attribute__((__aligned__(__alignof__(long long))));
	long double __max_align_ld __attribute__((__aligned__(__alignof__(long double))));
} max_align_t;

#undef NULL
#define NULL ((void *) 0)

#define offsetof(type, member) __builtin_offsetof(type, member)

#endif							/* _TMEBOX_STDDEF_H */
