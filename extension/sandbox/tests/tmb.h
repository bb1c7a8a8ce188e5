/*-------------------------------------------------------------------------
 *
 * tmb.h
 *		Native unit tests of the sandbox libc: the renamed (tmb_) libc
 *		entry points, the test counters and the host-call harness.
 *
 * The libc sources are compiled natively and every symbol they define is
 * renamed NAME -> tmb_NAME (see the Makefile), so tests can compare each
 * function with glibc's in the same program.  Natively a view offset is
 * simply a pointer.
 *
 * Invariants: only declarations and macros; the test files include glibc
 * headers first, then this file.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TMB_H
#define TMB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The packed-argument machinery, renamed like the library. */
#define __tmebox_snprintf tmb___tmebox_snprintf
#include "../include/__tmebox_fmt.h"
#define TMB_PACK(...) __TMEBOX_PACK(__VA_ARGS__)

/* ---- counters ---- */
extern int	tmb_passed;
extern int	tmb_failed;

#define CHECK(cond, ...) \
	do { \
		if (cond) \
			tmb_passed++; \
		else \
		{ \
			tmb_failed++; \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
		} \
	} while (0)

/* ---- host harness (host_native.c) ---- */
/* Runs fn(arg); returns 0 if it returned, 1 if it raised host error,
 * 2 if it trapped (tmb_host_code then holds the trap code). */
extern int	tmb_catch(void (*fn) (void *), void *arg);
extern char tmb_host_msg[];		/* message of the last error */
extern int	tmb_host_code;		/* code of the last trap */
extern int	tmb_log_count;		/* log calls so far */
extern int	tmb_log_level[];	/* levels of the last TMB_LOG_KEEP logs */
extern char tmb_log_msg[][4200];
#define TMB_LOG_KEEP 16
extern void tmb_log_reset(void);
extern uint64_t tmb_sbrk_total;	/* bytes handed out by sbrk */

/* ---- renamed libc ---- */
typedef struct tmb_file TMB_FILE;
extern TMB_FILE *const tmb___tmebox_stdout;
extern TMB_FILE *const tmb___tmebox_stderr;
extern int	tmb___tmebox_errno;
extern int	tmb___tmebox_fprintf(TMB_FILE *f, const __tmebox_arg *pack, int n);
extern void tmb___tmebox_error(const __tmebox_arg *pack, int n);
extern void tmb___tmebox_log(int level, const __tmebox_arg *pack, int n);
extern void tmb___tmebox_assert_fail(const char *e, const char *f, int l);
extern int	tmb_puts(const char *s);
extern int	tmb_putchar(int c);
extern int	tmb_fputs(const char *s, TMB_FILE *f);
extern int	tmb_fflush(TMB_FILE *f);
extern void tmb___tmebox_rt_flush(void);

extern void *tmb_memcpy(void *d, const void *s, size_t n);
extern void *tmb_memmove(void *d, const void *s, size_t n);
extern void *tmb_memset(void *s, int c, size_t n);
extern int	tmb_memcmp(const void *a, const void *b, size_t n);
extern void *tmb_memchr(const void *s, int c, size_t n);
extern void *tmb_memmem(const void *h, size_t hl, const void *n, size_t nl);
extern size_t tmb_strlen(const char *s);
extern size_t tmb_strnlen(const char *s, size_t n);
extern char *tmb_strcpy(char *d, const char *s);
extern char *tmb_strncpy(char *d, const char *s, size_t n);
extern char *tmb_strcat(char *d, const char *s);
extern char *tmb_strncat(char *d, const char *s, size_t n);
extern int	tmb_strcmp(const char *a, const char *b);
extern int	tmb_strncmp(const char *a, const char *b, size_t n);
extern char *tmb_strchr(const char *s, int c);
extern char *tmb_strrchr(const char *s, int c);
extern char *tmb_strstr(const char *h, const char *n);
extern size_t tmb_strspn(const char *s, const char *a);
extern size_t tmb_strcspn(const char *s, const char *r);
extern char *tmb_strpbrk(const char *s, const char *a);
extern char *tmb_strtok(char *s, const char *d);
extern char *tmb_strtok_r(char *s, const char *d, char **save);
extern char *tmb_strdup(const char *s);
extern char *tmb_strndup(const char *s, size_t n);
extern char *tmb_strerror(int e);
extern int	tmb_strcasecmp(const char *a, const char *b);
extern int	tmb_strncasecmp(const char *a, const char *b, size_t n);

extern void *tmb_malloc(size_t n);
extern void *tmb_calloc(size_t n, size_t s);
extern void *tmb_realloc(void *p, size_t n);
extern void tmb_free(void *p);
extern void *tmb_aligned_alloc(size_t a, size_t n);
extern int	tmb_posix_memalign(void **p, size_t a, size_t n);
extern uint64_t tmb___tmebox_rt_malloc(uint64_t n);
extern void tmb___tmebox_rt_free(uint64_t off);

extern void tmb_abort(void);
extern void tmb_exit(int status);
extern int	tmb_abs(int);
extern long tmb_labs(long);
extern long long tmb_llabs(long long);
extern int	tmb_atoi(const char *);
extern long tmb_atol(const char *);
extern long long tmb_atoll(const char *);
extern double tmb_atof(const char *);
extern long tmb_strtol(const char *, char **, int);
extern unsigned long tmb_strtoul(const char *, char **, int);
extern long long tmb_strtoll(const char *, char **, int);
extern unsigned long long tmb_strtoull(const char *, char **, int);
extern double tmb_strtod(const char *, char **);
extern float tmb_strtof(const char *, char **);
extern void tmb_qsort(void *, size_t, size_t, int (*) (const void *, const void *));
extern void *tmb_bsearch(const void *, const void *, size_t, size_t,
						 int (*) (const void *, const void *));
extern int	tmb_rand(void);
extern void tmb_srand(unsigned);

extern int	tmb_isalnum(int), tmb_isalpha(int), tmb_isblank(int),
			tmb_iscntrl(int), tmb_isdigit(int), tmb_isgraph(int),
			tmb_islower(int), tmb_isprint(int), tmb_ispunct(int),
			tmb_isspace(int), tmb_isupper(int), tmb_isxdigit(int),
			tmb_tolower(int), tmb_toupper(int);

/* tmebox.h */
typedef struct
{
	uint32_t	len;
	char		data[];
} tmb_buf;
typedef struct
{
	uint32_t	n;
	uint32_t	pad;
	int64_t		v[];
} tmb_arr64;
extern tmb_buf *tmb_tmebox_buf_new(uint32_t len);
extern tmb_buf *tmb_tmebox_buf_from(const void *p, uint32_t len);
extern tmb_buf *tmb_tmebox_buf_from_cstr(const char *s);
extern tmb_arr64 *tmb_tmebox_array_i64_new(uint32_t n);
extern tmb_arr64 *tmb_tmebox_array_f64_new(uint32_t n);
extern tmb_arr64 *tmb_tmebox_array_i32_new(uint32_t n);

/* test suites */
extern void test_format(void);
extern void test_strtol(void);
extern void test_strtod(void);
extern void test_qsort(void);
extern void test_malloc(void);
extern void test_string(void);
extern void test_ctype(void);
extern void test_math(void);
extern void test_misc(void);
extern void test_datetime(void);
extern void test_jsonb(void);
extern void test_numeric(void);

#endif							/* TMB_H */
