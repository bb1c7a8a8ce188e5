/*-------------------------------------------------------------------------
 *
 * test_format.c
 *		snprintf of the sandbox libc against glibc: every integer length
 *		modifier with extreme values, flags x width x precision grids for
 *		integers, strings and doubles (NaN, infinities, -0.0, DBL_MAX,
 *		subnormals, %a), '*' width/precision, %p, truncation and return
 *		values; plus the type-checking and %n refusal glibc does not have.
 *
 * Invariants: every comparison uses the same arguments for both; grids
 * report the first mismatches in detail and count one check per grid.
 *
 *-------------------------------------------------------------------------
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tmb.h"

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
#pragma GCC diagnostic ignored "-Wformat-truncation"

static char ref[1024];
static char got[1024];
static int	grid_bad;

/* Compares glibc's and our output; remembers and prints the first few. */
static int
same(const char *what, const char *fmt, int r1, int r2)
{
	if (r1 == r2 && strcmp(ref, got) == 0)
		return 1;
	if (grid_bad++ < 5)
		fprintf(stderr, "  %s \"%s\": glibc [%s] %d, tmb [%s] %d\n",
				what, fmt, ref, r1, got, r2);
	return 0;
}

#define CMP(what, fmt, ...) \
	same(what, fmt, snprintf(ref, sizeof ref, fmt, __VA_ARGS__), \
		 tmb___tmebox_snprintf(got, sizeof got, TMB_PACK(fmt, __VA_ARGS__)))

static const char *flagsets[] = {
	"", "-", "+", " ", "#", "0", "-0", "+0", " 0", "#0", "-#", "+ ", "-+#0 "
};
static const char *widths[] = {"", "1", "5", "23"};
static const char *precs[] = {"", ".", ".0", ".1", ".5", ".25"};

#define NFLAGS (int) (sizeof flagsets / sizeof flagsets[0])
#define NWIDTHS (int) (sizeof widths / sizeof widths[0])
#define NPRECS (int) (sizeof precs / sizeof precs[0])

/* Loops fmt over the grid for one length modifier and conversion. */
#define GRID(len, convs, type, values) \
	do { \
		static const type vals[] = values; \
		char		fmt[64]; \
		grid_bad = 0; \
		for (const char *c = convs; *c; c++) \
		for (int f = 0; f < NFLAGS; f++) \
		for (int w = 0; w < NWIDTHS; w++) \
		for (int p = 0; p < NPRECS; p++) \
		for (size_t v = 0; v < sizeof vals / sizeof vals[0]; v++) \
		{ \
			snprintf(fmt, sizeof fmt, "<%%%s%s%s" len "%c>", \
					 flagsets[f], widths[w], precs[p], *c); \
			(void) CMP(#type, fmt, vals[v]); \
		} \
		CHECK(grid_bad == 0, "grid %s %s %s: %d mismatches", #type, len, \
			  convs, grid_bad); \
	} while (0)

#define LIST(...) {__VA_ARGS__}

static void
test_integers(void)
{
	GRID("", "diuoxXc", int,
		 LIST(0, 1, -1, 42, 255, 256, -128, 65535, INT_MAX, INT_MIN, 8, 0x7fab));
	GRID("hh", "diuoxX", int, LIST(0, 1, -1, 127, -128, 255, 256, 300, -300));
	GRID("h", "diuoxX", int, LIST(0, 1, -1, 32767, -32768, 65535, 70000));
	GRID("l", "diuoxX", long,
		 LIST(0L, 1L, -1L, LONG_MAX, LONG_MIN, 4294967296L, -4294967297L));
	GRID("ll", "diuoxX", long long,
		 LIST(0LL, 1LL, -1LL, LLONG_MAX, LLONG_MIN, 1234567890123LL));
	GRID("z", "diuoxX", size_t, LIST(0, 1, SIZE_MAX, 4096));
	GRID("j", "diuoxX", intmax_t, LIST(0, -7, INTMAX_MAX, INTMAX_MIN));
	GRID("t", "diuoxX", ptrdiff_t, LIST(0, -7, PTRDIFF_MAX, PTRDIFF_MIN));
	GRID("", "uoxX", unsigned, LIST(0u, 1u, UINT_MAX, 0x80000000u));
	GRID("l", "uoxX", unsigned long, LIST(0ul, ULONG_MAX, 1ul << 63));
}

static void
test_doubles(void)
{
	GRID("", "eEfFgGaA", double,
		 LIST(0.0, -0.0, 1.0, -1.5, 0.1, 2.5, 0.5, 123456.789, 1e-5,
			  9.9999999, 1e21, -1e300, DBL_MAX, DBL_MIN, 4.9e-324,
			  2.2250738585072009e-308, NAN, -NAN, INFINITY, -INFINITY));
	/* long double is formatted as double: values exact in both agree */
	GRID("L", "efg", long double, LIST(0.0L, -2.75L, 0x1p100L, 0.125L));
	tmb___tmebox_snprintf(got, sizeof got, TMB_PACK("%La", -2.75L));
	CHECK(strcmp(got, "-0x1.6p+1") == 0, "%%La is formatted as the double: %s", got);

	/* huge outputs: beyond the 128-byte local buffer and ref's size */
	grid_bad = 0;
	(void) CMP("double", "%.60f", DBL_MAX);
	(void) CMP("double", "%400.3e", -1.0);
	(void) CMP("double", "%0400.3e", -1.0);
	(void) CMP("double", "%-400a", 1.0);
	(void) CMP("double", "%.1074f", 4.9e-324);
	(void) CMP("float", "%f %f", 1.5f, -0.25f);
	CHECK(grid_bad == 0, "large double outputs: %d mismatches", grid_bad);
}

static void
test_strings_pointers(void)
{
	int			x;

	GRID("", "s", char *, LIST("", "a", "hello", "hello, world, a longer one"));
	grid_bad = 0;
	(void) CMP("str", "%s|%5s|%-5s|%.2s|%5.1s", "abc", "de", "f", "ghij", "kl");
	(void) CMP("char", "%c%c%5c%-3c|", 'a', 'b' + 1, 'z', 'q');
	(void) CMP("ptr", "%p|%20p|%-20p|", (void *) &x, (void *) 0x1234, (void *) 0xdead);
	(void) CMP("ptr", "%p|%10p|%-10p|", (void *) 0, (void *) 0, (void *) 0);
	(void) CMP("pct", "100%% %d%%", 5);
	(void) CMP("star", "%*d|%-*d|%*d|%.*d|%.*d|%*.*f|", 5, 42, 5, 42, -5, 42,
			   3, 7, -1, 7, 10, 3, 3.14159);
	(void) CMP("star", "%.*s|%.*s|%*s|", 3, "abcdef", -1, "abc", -4, "x");
	(void) CMP("mixed", "%d %s %f %c %x %lu %p %e", -3, "s", 2.5, 'c', 255u,
			   ULONG_MAX, (void *) 0x42, 1e-10);
	CHECK(grid_bad == 0, "strings/pointers/star: %d mismatches", grid_bad);

	/* %s of NULL: "(null)", or nothing if the precision is below 6 */
	tmb___tmebox_snprintf(got, sizeof got, TMB_PACK("[%s][%.3s][%8s]",
												 (char *) NULL, (char *) NULL,
												 (char *) NULL));
	CHECK(strcmp(got, "[(null)][][  (null)]") == 0, "NULL %%s: %s", got);
}

static void
test_truncation(void)
{
	static const size_t caps[] = {1, 2, 5, 9, 10, 11, 64};
	int			r;

	/* size 0: nothing written, length returned */
	got[0] = 'X';
	r = tmb___tmebox_snprintf(got, 0, TMB_PACK("%d-%s", 12345, "abcd"));
	CHECK(r == 10 && got[0] == 'X', "cap 0: r=%d got[0]=%c", r, got[0]);
	r = tmb___tmebox_snprintf(NULL, 0, TMB_PACK("%.3f", 2.0));
	CHECK(r == 5, "NULL, 0: r=%d", r);
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
	{
		int			r1,
					r2;

		memset(ref, 'Z', sizeof ref);
		memset(got, 'Z', sizeof got);
		r1 = snprintf(ref, caps[i], "%d-%s|%5.2f", 12345, "abcd", 3.14159);
		r2 = tmb___tmebox_snprintf(got, caps[i],
								  TMB_PACK("%d-%s|%5.2f", 12345, "abcd", 3.14159));
		CHECK(r1 == r2 && memcmp(ref, got, caps[i] + 1) == 0,
			  "truncation at %zu: glibc [%s] %d, tmb [%s] %d", caps[i], ref,
			  r1, got, r2);
	}
}

static void
test_checked_args(void)
{
	int			n = 0;
	int			r;

	tmb___tmebox_snprintf(got, sizeof got, TMB_PACK("%d|%s", "str", 42));
	CHECK(strcmp(got, "%!d(string)|%!s(int)") == 0, "type mismatch: %s", got);
	tmb___tmebox_snprintf(got, sizeof got, TMB_PACK("%f|%p|%c", 1, 2.0, "x"));
	CHECK(strcmp(got, "%!f(int)|%!p(double)|%!c(string)") == 0,
		  "type mismatch 2: %s", got);
	tmb___tmebox_snprintf(got, sizeof got, TMB_PACK("%ld|%x|%s", 5L));
	CHECK(strcmp(got, "5|%!x(missing)|%!s(missing)") == 0, "missing: %s", got);
	tmb___tmebox_snprintf(got, sizeof got, TMB_PACK("a%nb", &n));
	CHECK(strcmp(got, "a%!n(refused)b") == 0 && n == 0, "%%n: %s n=%d", got, n);
	tmb___tmebox_snprintf(got, sizeof got, TMB_PACK("%d", 1, 2, 3));
	CHECK(strcmp(got, "1") == 0, "extra args: %s", got);
	tmb___tmebox_snprintf(got, sizeof got, TMB_PACK("%*d|", "w", 7));
	CHECK(strcmp(got, "%!*(string)7|") == 0, "bad star: %s", got);
	/* %d with a long: converted as a cast to int */
	tmb___tmebox_snprintf(got, sizeof got, TMB_PACK("%d %hhd %lu", 4294967297L, 511, -1));
	CHECK(strcmp(got, "1 -1 18446744073709551615") == 0, "conversions: %s", got);
	/* a format that is not a string */
	r = tmb___tmebox_snprintf(got, sizeof got, TMB_PACK(42));
	CHECK(r < 0 && got[0] == '\0', "non-string format: %d", r);
	/* 31 arguments after the format */
	tmb___tmebox_snprintf(got, sizeof got, TMB_PACK(
		"%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d",
		1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0,
		1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1));
	CHECK(strcmp(got, "1234567890123456789012345678901") == 0, "32 args: %s", got);
	/* unsigned char / short / bool / enum / const char packing */
	{
		unsigned char uc = 200;
		short		sh = -5;
		_Bool		b = 1;
		enum { E1 = 3 } e = E1;
		const char *cs = "k";
		signed char sc = -3;

		tmb___tmebox_snprintf(got, sizeof got,
							  TMB_PACK("%u %d %d %d %s %d", uc, sh, b, e, cs, sc));
		CHECK(strcmp(got, "200 -5 1 3 k -3") == 0, "packing: %s", got);
	}
}

void
test_format(void)
{
	test_integers();
	test_doubles();
	test_strings_pointers();
	test_truncation();
	test_checked_args();
}
