/*-------------------------------------------------------------------------
 *
 * test_strtol.c
 *		strtol/strtoul/strtoll/strtoull/atoi/strtod/strtof of the sandbox
 *		libc against glibc: bases 0, 2, 8, 10, 16, 36 (and invalid bases),
 *		overflow with errno, white space and signs, "0x" edge cases, and
 *		the end pointer.
 *
 * Invariants: errno is cleared before each call of either library.
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tmb.h"

static const char *inputs[] = {
	"0", "1", "-1", "+1", "  42", "\t\n\v\f\r 17xyz", "-", "+", "", " ",
	"0x", "0X", "0x1f", "0XfF", "-0x10", "0xg", "0x 1", "010", "08", "0b101",
	"101", "777", "zz", "ZZ", "Zz9", "12abc", "abc",
	"2147483647", "2147483648", "-2147483648", "-2147483649",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"-18446744073709551615", "-18446744073709551616",
	"99999999999999999999999999999", "-99999999999999999999999999999",
	"0x7fffffffffffffff", "0x8000000000000000", "0xffffffffffffffff",
	"0x10000000000000000", "1111111111111111111111111111111111111111111111111111111111111111",
	"11111111111111111111111111111111111111111111111111111111111111111",
	"3w5e11264sgsf", "3w5e11264sgsg", "- 5", "--5", "+-5", "00000000000000000000000001",
};

static const int bases[] = {0, 2, 8, 10, 16, 36, 1, 37, -1};

void
test_strtol(void)
{
	int			bad = 0;
	int			n = 0;

	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
	{
		const char *s = inputs[i];

		for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
		{
			int			base = bases[b];
			/* glibc leaves endptr alone for an invalid base; we set it to s */
			int			valid = base == 0 || (base >= 2 && base <= 36);
			char	   *e1,
					   *e2;
			int			err1,
						err2;

#define ONE(type, fn, pfx) \
			do { \
				type r1, r2; \
				errno = 0; \
				r1 = fn(s, &e1, base); \
				err1 = errno; \
				tmb___tmebox_errno = 0; \
				r2 = tmb_##fn(s, &e2, base); \
				err2 = tmb___tmebox_errno; \
				n++; \
				if (r1 != r2 || err1 != err2 || (valid && e1 != e2) || (!valid && e2 != s)) \
				{ \
					if (bad++ < 8) \
						fprintf(stderr, "  %s(\"%s\", %d): glibc %" pfx " end+%td errno %d;" \
								" tmb %" pfx " end+%td errno %d\n", #fn, s, base, \
								r1, e1 - s, err1, r2, e2 - s, err2); \
				} \
			} while (0)

			ONE(long, strtol, "ld");
			ONE(unsigned long, strtoul, "lu");
			ONE(long long, strtoll, "lld");
			ONE(unsigned long long, strtoull, "llu");
		}
		{
			int			a1 = atoi(s),
						a2 = tmb_atoi(s);

			n++;
			if (a1 != a2 && bad++ < 8)
				fprintf(stderr, "  atoi(\"%s\"): %d vs %d\n", s, a1, a2);
		}
	}
	CHECK(bad == 0, "strtol family: %d of %d comparisons differ", bad, n);

	/* endptr NULL is allowed */
	CHECK(tmb_strtol("123", NULL, 10) == 123, "endptr NULL");
	CHECK(tmb_atol("-77") == -77 && tmb_atoll("9000000000") == 9000000000LL,
		  "atol/atoll");
}

static const char *dinputs[] = {
	"0", "-0", "1.5", "  -2.25e3xyz", "1e308", "1e309", "-1e309", "1e-320",
	"1e-400", "-1e-400", "inf", "-Infinity", "nan", "NAN(123)", "0x1.8p1",
	"0x1p-1074", "0x1p-1080", ".5", "5.", ".", "e5", "abc", "",
	"3.14159265358979323846264338327950288", "0.0e999999", "1e+", "1e-x",
	"4.9406564584124654e-324", "2.2250738585072014e-308",
};

static void
test_strtod_one(const char *s, int *bad)
{
	char	   *e1,
			   *e2;
	double		r1,
				r2;
	float		f1,
				f2;
	int			err1,
				err2;

	errno = 0;
	r1 = strtod(s, &e1);
	err1 = errno;
	tmb___tmebox_errno = 0;
	r2 = tmb_strtod(s, &e2);
	err2 = tmb___tmebox_errno;
	/* glibc also reports ERANGE for inexact subnormals; we only compare
	 * errno for overflow and underflow to zero */
	if (!(isnan(r1) && isnan(r2)) &&
		(memcmp(&r1, &r2, sizeof r1) != 0 || e1 != e2 ||
		 ((r1 == 0 || isinf(r1)) && err1 != err2)))
	{
		if ((*bad)++ < 8)
			fprintf(stderr, "  strtod(\"%s\"): glibc %a end+%td errno %d; tmb %a end+%td errno %d\n",
					s, r1, e1 - s, err1, r2, e2 - s, err2);
	}
	errno = 0;
	f1 = strtof(s, &e1);
	err1 = errno;
	tmb___tmebox_errno = 0;
	f2 = tmb_strtof(s, &e2);
	err2 = tmb___tmebox_errno;
	if (!(isnan(f1) && isnan(f2)) &&
		(memcmp(&f1, &f2, sizeof f1) != 0 || e1 != e2 ||
		 ((f1 == 0 || isinf(f1)) && err1 != err2)))
	{
		if ((*bad)++ < 8)
			fprintf(stderr, "  strtof(\"%s\"): glibc %a errno %d; tmb %a errno %d\n",
					s, f1, err1, f2, err2);
	}
}

void
test_strtod(void)
{
	int			bad = 0;

	for (size_t i = 0; i < sizeof dinputs / sizeof dinputs[0]; i++)
		test_strtod_one(dinputs[i], &bad);
	CHECK(bad == 0, "strtod/strtof: %d differ", bad);
	CHECK(tmb_atof("2.5") == 2.5, "atof");
}
