/*-------------------------------------------------------------------------
 *
 * strings.h
 *		Sandbox C library: case-insensitive comparisons (POSIX).
 *
 * Invariants: C locale (ASCII case folding only).
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_STRINGS_H
#define _TMEBOX_STRINGS_H

#include <stddef.h>

extern int	strcasecmp(const char *a, const char *b);
extern int	strncasecmp(const char *a, const char *b, size_t n);

#endif							/* _TMEBOX_STRINGS_H */
