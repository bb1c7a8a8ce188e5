/*-------------------------------------------------------------------------
 *
 * stdarg.h
 *		Sandbox C library: the va_list type only (C11 7.16).
 *
 * Sandboxed code cannot define variadic functions: the va_list ABI keeps
 * the register save area on the native stack, which sandboxed code cannot
 * address, so tmebox-cc rejects every variadic definition.  This header
 * therefore provides the type (so prototypes that mention va_list parse)
 * and deliberately no va_start/va_arg/va_end/va_copy: code that uses them
 * fails to compile here rather than being rejected later.
 * printf-like functions of this libc are macros over typed argument arrays
 * (see stdio.h).
 *
 * Invariants: declares no function and no macro that expands to a builtin
 * touching the native stack.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_STDARG_H
#define _TMEBOX_STDARG_H

typedef __builtin_va_list va_list;
typedef __builtin_va_list __gnuc_va_list;

#endif							/* _TMEBOX_STDARG_H */
