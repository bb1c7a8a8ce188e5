/*-------------------------------------------------------------------------
 *
 * sys/types.h
 *		Sandbox C library: the few POSIX types portable code expects.
 *
 * Invariants: LP64 x86-64; no type here implies an operating-system
 * facility exists in the sandbox (there are no files, processes or time).
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_SYS_TYPES_H
#define _TMEBOX_SYS_TYPES_H

#include <stddef.h>

typedef long ssize_t;
typedef long off_t;

#endif							/* _TMEBOX_SYS_TYPES_H */
