/*-------------------------------------------------------------------------
 *
 * bc_driver.c
 *		Runs sandbox_prog.c as linked from lib/libc.bc (renamed tmb_*) with
 *		the native host calls, and checks what it logged and returned.
 *
 * Invariants: expected values are computed here with glibc, not copied
 * from a previous run.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tmb.h"
#include "tmebox_abi.h"

extern int	tmb_sandbox_main(int n);

static int
cmp_desc(const void *a, const void *b)
{
	int			x = *(const int *) a,
				y = *(const int *) b;

	return (x < y) - (x > y);
}

static void
run_negative(void *arg)
{
	(void) arg;
	tmb_sandbox_main(-1);
}

int
main(void)
{
	enum { N = 5000 };
	static int	v[N];
	long		sum = 0;
	char		line[128];
	int			r;

	for (int i = 0; i < N; i++)
		v[i] = (i * 7919) % 1000;
	qsort(v, N, sizeof(int), cmp_desc);
	for (int i = 0; i < N; i++)
		sum += v[i] * (long) (i + 1);

	tmb_log_reset();
	r = tmb_sandbox_main(N);
	CHECK(r == (int) (sum % 100000), "return %d, expected %ld", r, sum % 100000);
	CHECK(tmb_log_count == 4, "%d log lines", tmb_log_count);
	snprintf(line, sizeof line, "top %d %d %d sum %ld\n", v[0], v[1], v[N - 1], sum);
	CHECK(strcmp(tmb_log_msg[0], line) == 0, "[%s] vs [%s]", tmb_log_msg[0], line);
	snprintf(line, sizeof line, "%-6s|%+.3e|%#x|%5.1f%%\n", "ab", sqrt(2.0), 255, 99.44);
	CHECK(strcmp(tmb_log_msg[1], line) == 0, "[%s] vs [%s]", tmb_log_msg[1], line);
	snprintf(line, sizeof line, "%ld %s|%g\n", -31L, "", fma(0.1, 10.0, -1.0));
	CHECK(strcmp(tmb_log_msg[2], line) == 0, "[%s] vs [%s]", tmb_log_msg[2], line);
	CHECK(tmb_log_level[3] == TMEBOX_LOG_NOTICE &&
		  strcmp(tmb_log_msg[3], "buf 7 payload") == 0, "[%s]", tmb_log_msg[3]);
	r = tmb_catch(run_negative, NULL);
	CHECK(r == 1 && strcmp(tmb_host_msg, "negative n -1") == 0, "error: %d [%s]",
		  r, tmb_host_msg);
	printf("%d passed, %d failed\n", tmb_passed, tmb_failed);
	return tmb_failed ? 1 : 0;
}
