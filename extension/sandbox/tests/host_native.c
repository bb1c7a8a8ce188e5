/*-------------------------------------------------------------------------
 *
 * host_native.c
 *		Native implementations of the host calls for the libc unit tests,
 *		plus the test counters.
 *
 * Natively a view offset is a real pointer.  sbrk hands out a private
 * 256 MiB mapping (a negative increment gives memory back); error and trap longjmp back to tmb_catch; log records
 * the last messages; fmt_double validates its spec (the shape the runtime
 * must also accept) and formats with glibc.
 *
 * Invariants: a host call that would not return in the sandbox (error,
 * trap, sbrk failure) never returns here either.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tmb.h"
#include "tmebox_abi.h"

int			tmb_passed;
int			tmb_failed;

static jmp_buf *catch_jmp;
char		tmb_host_msg[TMEBOX_MESSAGE_MAX + 1];
int			tmb_host_code;
int			tmb_log_count;
int			tmb_log_level[TMB_LOG_KEEP];
char		tmb_log_msg[TMB_LOG_KEEP][4200];
uint64_t	tmb_sbrk_total;

int
tmb_catch(void (*fn) (void *), void *arg)
{
	jmp_buf		jb;
	jmp_buf    *saved = catch_jmp;
	int			r;

	catch_jmp = &jb;
	r = setjmp(jb);
	if (r == 0)
		fn(arg);
	catch_jmp = saved;
	return r;
}

static void
escape(int how)
{
	if (catch_jmp == NULL)
	{
		fprintf(stderr, "host: uncaught %s: %s (code %d)\n",
				how == 1 ? "error" : "trap", tmb_host_msg, tmb_host_code);
		exit(2);
	}
	longjmp(*catch_jmp, how);
}

void
__tmebox_host_trap(int32_t code)
{
	tmb_host_code = code;
	escape(2);
}

void
__tmebox_host_interrupt(void)
{
}

#define ARENA_SIZE (UINT64_C(256) << 20)

uint64_t
__tmebox_host_sbrk(uint64_t increment)
{
	static char *arena;
	static uint64_t brk;
	uint64_t	old;

	if (arena == NULL)
	{
		arena = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (arena == MAP_FAILED)
		{
			perror("mmap");
			exit(2);
		}
	}
	if ((int64_t) increment < 0)
	{
		/* a decrement gives memory back, as the runtime does */
		if (-increment > brk)
		{
			snprintf(tmb_host_msg, sizeof tmb_host_msg, "out of memory");
			tmb_host_code = -1;
			escape(1);
		}
		old = brk;
		brk += increment;
		tmb_sbrk_total = brk;
		return (uint64_t) (uintptr_t) (arena + old);
	}
	if (increment > ARENA_SIZE - brk)
	{
		snprintf(tmb_host_msg, sizeof tmb_host_msg, "out of memory");
		tmb_host_code = -1;
		escape(1);
	}
	old = brk;
	brk += increment;
	tmb_sbrk_total = brk;
	return (uint64_t) (uintptr_t) (arena + old);
}

void
__tmebox_host_memmove(void *dst, const void *src, uint64_t n)
{
	memmove(dst, src, n);
}

void
__tmebox_host_memset(void *dst, int32_t c, uint64_t n)
{
	memset(dst, c, n);
}

void
__tmebox_host_error(const char *msg, uint64_t len)
{
	if (len > TMEBOX_MESSAGE_MAX)
		len = TMEBOX_MESSAGE_MAX;
	memcpy(tmb_host_msg, msg, len);
	tmb_host_msg[len] = '\0';
	escape(1);
}

int			tmb_host_sqlstate;

void
__tmebox_host_error_code(int32_t sqlstate, const char *msg, uint64_t len)
{
	tmb_host_sqlstate = sqlstate;
	__tmebox_host_error(msg, len);
}

void
tmb_log_reset(void)
{
	tmb_log_count = 0;
}

void
__tmebox_host_log(int32_t level, const char *msg, uint64_t len)
{
	int			i = tmb_log_count++ % TMB_LOG_KEEP;

	if (len > TMEBOX_MESSAGE_MAX)
		len = TMEBOX_MESSAGE_MAX;
	tmb_log_level[i] = level;
	memcpy(tmb_log_msg[i], msg, len);
	tmb_log_msg[i][len] = '\0';
}

/* Accepts exactly "%" [-+ #0]* digits* ("." digits*)? [aAeEfFgG]. */
static int
valid_double_spec(const char *spec, uint64_t n)
{
	uint64_t	i = 1;

	if (n < 2 || n > 40 || spec[0] != '%')
		return 0;
	while (i < n && strchr("-+ #0", spec[i]) && spec[i])
		i++;
	while (i < n && spec[i] >= '0' && spec[i] <= '9')
		i++;
	if (i < n && spec[i] == '.')
	{
		i++;
		while (i < n && spec[i] >= '0' && spec[i] <= '9')
			i++;
	}
	return i == n - 1 && spec[i] && strchr("aAeEfFgG", spec[i]);
}

int32_t
__tmebox_host_fmt_double(char *out, uint64_t cap, const char *spec,
						 uint64_t speclen, double v)
{
	char		s[48];

	if (!valid_double_spec(spec, speclen))
		return -1;
	memcpy(s, spec, speclen);
	s[speclen] = '\0';
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	return snprintf(out, cap, s, v);
#pragma GCC diagnostic pop
}

double
__tmebox_host_strtod(const char *str, char **endp)
{
	return strtod(str, endp);
}

float
__tmebox_host_strtof(const char *str, char **endp)
{
	return strtof(str, endp);
}

#define M1(name, f) double __tmebox_host_##name(double x) { return f(x); }
#define M2(name, f) double __tmebox_host_##name(double x, double y) { return f(x, y); }
#define F1(name) float __tmebox_host_##name(float x) { return name(x); }
#define F2(name) float __tmebox_host_##name(float x, float y) { return name(x, y); }

M1(sin, sin) M1(cos, cos) M1(tan, tan) M1(asin, asin) M1(acos, acos)
M1(atan, atan) M2(atan2, atan2) M1(sinh, sinh) M1(cosh, cosh)
M1(tanh, tanh) M1(asinh, asinh) M1(acosh, acosh) M1(atanh, atanh)
M1(exp, exp) M1(exp2, exp2) M1(expm1, expm1) M1(log_, log)
M1(log2, log2) M1(log10, log10) M1(log1p, log1p) M2(pow, pow)
M1(cbrt, cbrt) M2(hypot, hypot) M2(fmod, fmod) M2(remainder, remainder)
M1(erf, erf) M1(erfc, erfc) M1(tgamma, tgamma) M1(lgamma, lgamma)
M1(round, round) M1(nearbyint, nearbyint)
F1(sinf) F1(cosf) F1(tanf) F1(expf) F1(logf) F2(powf) F2(fmodf)
F2(atan2f) F1(roundf)

/* Triggers (libc/trigger.c): no trigger call runs natively (regress
 * triggers tests them), so both refuse as the host does outside one. */
void
__tmebox_host_trigger_data(void *info, void *new_row, void *old_row)
{
	static const char msg[] = "trigger_data outside a trigger call";

	(void) info;
	(void) new_row;
	(void) old_row;
	__tmebox_host_error(msg, sizeof msg - 1);
}

void
__tmebox_host_trigger_result(const void *row, uint64_t size)
{
	static const char msg[] = "trigger_result outside a trigger call";

	(void) row;
	(void) size;
	__tmebox_host_error(msg, sizeof msg - 1);
}

/*
 * SQL access (libc/sql.c): no statement runs natively (regress spi tests
 * them), so each host call refuses as an ERROR, like the host outside a
 * database call; only the link needs them.
 */
static _Noreturn void
native_no_sql(const char *what)
{
	char		msg[96];
	int			n = snprintf(msg, sizeof msg, "%s: no SQL in native tests", what);

	__tmebox_host_error(msg, (uint64_t) n);
	abort();
}

uint64_t
__tmebox_host_sql_info(int32_t h, void *out, uint64_t cap)
{
	(void) h, (void) out, (void) cap;
	native_no_sql("sql_info");
}

uint64_t
__tmebox_host_sql_row(int32_t h, int64_t row, void *out, uint64_t cap)
{
	(void) h, (void) row, (void) out, (void) cap;
	native_no_sql("sql_row");
}

void
__tmebox_host_sql_free(int32_t h)
{
	(void) h;
	native_no_sql("sql_free");
}

void
__tmebox_host_sql_raise(int32_t h)
{
	(void) h;
	native_no_sql("sql_raise");
}

int32_t
__tmebox_host_sql_exec(const char *query, uint64_t qlen, const void *params,
					   uint64_t psize, int64_t limit, int32_t flags)
{
	(void) query, (void) qlen, (void) params, (void) psize, (void) limit, (void) flags;
	native_no_sql("sql_exec");
}

int32_t
__tmebox_host_sql_prepare(const char *query, uint64_t qlen,
						  const void *params, uint64_t psize)
{
	(void) query, (void) qlen, (void) params, (void) psize;
	native_no_sql("sql_prepare");
}

int32_t
__tmebox_host_sql_exec_plan(int32_t plan, const void *params, uint64_t psize,
							int64_t limit, int32_t flags)
{
	(void) plan, (void) params, (void) psize, (void) limit, (void) flags;
	native_no_sql("sql_exec_plan");
}

int32_t
__tmebox_host_sql_open(int32_t plan, const void *params, uint64_t psize,
					   int32_t flags)
{
	(void) plan, (void) params, (void) psize, (void) flags;
	native_no_sql("sql_open");
}

int32_t
__tmebox_host_sql_fetch(int32_t cursor, int64_t n, int32_t flags)
{
	(void) cursor, (void) n, (void) flags;
	native_no_sql("sql_fetch");
}
