/*-------------------------------------------------------------------------
 *
 * string.h
 *		Sandbox C library: string and memory functions (C11 7.24, plus the
 *		POSIX/GNU ones portable code commonly uses).
 *
 * Invariants: every function works on view memory only (all pointers are
 * view offsets); memcpy/memmove/memset are host bulk copies, bounds
 * checked by the host.  strerror returns a constant string and never
 * fails.  strdup/strndup allocate with malloc.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_STRING_H
#define _TMEBOX_STRING_H

#include <stddef.h>

extern void *memcpy(void *restrict dst, const void *restrict src, size_t n);
extern void *memmove(void *dst, const void *src, size_t n);
extern void *memset(void *s, int c, size_t n);
extern int	memcmp(const void *a, const void *b, size_t n);
extern void *memchr(const void *s, int c, size_t n);
extern void *memmem(const void *hay, size_t haylen, const void *needle,
					size_t needlelen);

extern size_t strlen(const char *s);
extern size_t strnlen(const char *s, size_t maxlen);
extern char *strcpy(char *restrict dst, const char *restrict src);
extern char *strncpy(char *restrict dst, const char *restrict src, size_t n);
extern char *strcat(char *restrict dst, const char *restrict src);
extern char *strncat(char *restrict dst, const char *restrict src, size_t n);
extern int	strcmp(const char *a, const char *b);
extern int	strncmp(const char *a, const char *b, size_t n);
extern int	strcoll(const char *a, const char *b);
extern char *strchr(const char *s, int c);
extern char *strrchr(const char *s, int c);
extern char *strstr(const char *hay, const char *needle);
extern size_t strspn(const char *s, const char *accept);
extern size_t strcspn(const char *s, const char *reject);
extern char *strpbrk(const char *s, const char *accept);
extern char *strtok(char *restrict s, const char *restrict delim);
extern char *strtok_r(char *restrict s, const char *restrict delim,
					  char **restrict saveptr);
extern char *strdup(const char *s);
extern char *strndup(const char *s, size_t n);
extern char *strerror(int errnum);

/* Also in <strings.h>, as glibc does. */
extern int	strcasecmp(const char *a, const char *b);
extern int	strncasecmp(const char *a, const char *b, size_t n);

#endif							/* _TMEBOX_STRING_H */
