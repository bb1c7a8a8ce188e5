/*-------------------------------------------------------------------------
 *
 * test_tap.h
 *		The TAP-style check() of the runtime's test programs (test_rt,
 *		test_stack, test_native): one "ok N - ..." or "not ok N - ..." line
 *		per check, counted in npass / nfail for the program's summary.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TEST_TAP_H
#define TEST_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int	npass,
			nfail;

static void check(bool ok, const char *fmt,...) __attribute__((format(printf, 2, 3)));

static void
check(bool ok, const char *fmt,...)
{
	va_list		ap;

	printf("%s %d - ", ok ? "ok" : "not ok", npass + nfail + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		npass++;
	else
		nfail++;
}

#endif							/* TEST_TAP_H */
