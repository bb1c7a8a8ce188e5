/*-------------------------------------------------------------------------
 *
 * test_tap.h
 *		The TAP-style check() of the runtime's test programs (test_rt,
 *		test_stack, test_native, test_keyid): one "ok N - ..." or
 *		"not ok N - ..." line per check, counted in npass / nfail for the
 *		program's summary; and tap_load_file, which reads a test module
 *		(exit status 2 when it cannot: the build is broken, not a check).
 *
 *-------------------------------------------------------------------------
 */
#ifndef TEST_TAP_H
#define TEST_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The bytes of dir/name (malloc'ed) and their count in *len. */
static char *tap_load_file(const char *dir, const char *name, size_t *len) __attribute__((unused));

static char *
tap_load_file(const char *dir, const char *name, size_t *len)
{
	char		path[4096];
	FILE	   *f;
	char	   *buf;
	long		n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL)
	{
		fprintf(stderr, "could not open \"%s\": %s\n", path, strerror(errno));
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? n : 1);
	if (buf == NULL || fread(buf, 1, n, f) != (size_t) n)
	{
		fprintf(stderr, "could not read \"%s\"\n", path);
		exit(2);
	}
	fclose(f);
	*len = (size_t) n;
	return buf;
}

#endif							/* TEST_TAP_H */
