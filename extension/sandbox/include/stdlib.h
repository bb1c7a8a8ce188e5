/*-------------------------------------------------------------------------
 *
 * stdlib.h
 *		Sandbox C library: allocation, conversions, sorting, arithmetic
 *		(C11 7.22).
 *
 * Allocation happens in the sandbox's view; the heap grows through host
 * call `sbrk`, which ends the call with an out-of-memory fault when the
 * tenant's limit is reached (so, like palloc, malloc does not return NULL
 * for lack of memory).  malloc returns NULL only for a size no view can
 * hold (over 4 GiB, or an overflowing calloc/aligned request), with errno
 * ENOMEM.  All blocks are 16-byte aligned; malloc(0) returns a unique
 * pointer.  free() of a pointer that is not a live block raises an error.
 *
 * Ending the program: abort() traps (TMEBOX_TRAP_ABORT); exit(), _Exit()
 * and quick_exit() raise an error "exit(STATUS) called" -- a function
 * cannot end the server process, so ending "the program" means failing
 * the call.  There is no atexit, getenv or system.
 *
 * rand() is a deterministic generator (seed 1 unless srand is called),
 * per instance.  qsort is an introsort: O(n log n) worst case, bounded
 * recursion.  strtod/strtof/atof parse with the host's C-locale strtod.
 *
 * Invariants: every function is an ordinary (non-variadic) function
 * defined in the sandbox libc.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_STDLIB_H
#define _TMEBOX_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1
#define RAND_MAX		2147483647
#define MB_CUR_MAX		((size_t) 1)

typedef struct
{
	int			quot;
	int			rem;
} div_t;
typedef struct
{
	long		quot;
	long		rem;
} ldiv_t;
typedef struct
{
	long long	quot;
	long long	rem;
} lldiv_t;

extern void *malloc(size_t size);
extern void *calloc(size_t nmemb, size_t size);
extern void *realloc(void *ptr, size_t size);
extern void free(void *ptr);
extern void *aligned_alloc(size_t alignment, size_t size);
extern int	posix_memalign(void **memptr, size_t alignment, size_t size);

extern _Noreturn void abort(void);
extern _Noreturn void exit(int status);
extern _Noreturn void _Exit(int status);
extern _Noreturn void quick_exit(int status);

extern int	abs(int j);
extern long labs(long j);
extern long long llabs(long long j);
extern div_t div(int numer, int denom);
extern ldiv_t ldiv(long numer, long denom);
extern lldiv_t lldiv(long long numer, long long denom);

extern int	atoi(const char *s);
extern long atol(const char *s);
extern long long atoll(const char *s);
extern double atof(const char *s);
extern long strtol(const char *restrict s, char **restrict endptr, int base);
extern unsigned long strtoul(const char *restrict s, char **restrict endptr,
							 int base);
extern long long strtoll(const char *restrict s, char **restrict endptr,
						 int base);
extern unsigned long long strtoull(const char *restrict s,
								   char **restrict endptr, int base);
extern double strtod(const char *restrict s, char **restrict endptr);
extern float strtof(const char *restrict s, char **restrict endptr);

extern void qsort(void *base, size_t nmemb, size_t size,
				  int (*compar) (const void *, const void *));
extern void *bsearch(const void *key, const void *base, size_t nmemb,
					 size_t size, int (*compar) (const void *, const void *));

extern int	rand(void);
extern void srand(unsigned int seed);

#endif							/* _TMEBOX_STDLIB_H */
