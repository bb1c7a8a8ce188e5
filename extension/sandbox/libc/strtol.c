/*-------------------------------------------------------------------------
 *
 * strtol.c
 *		Sandbox libc: strtol, strtoul, strtoll, strtoull, strtoimax,
 *		strtoumax, atoi, atol, atoll.
 *
 * One parser (parse_integer) does the work for all of them: optional
 * white space, optional sign, "0x"/"0X" prefix for base 16 or 0, octal
 * for base 0 with a leading 0, digits of bases 2..36.  Out-of-range
 * values saturate and set errno to ERANGE; an invalid base sets EINVAL.
 * As in C, the unsigned versions accept a '-' and negate the value.
 *
 * Invariants: *endptr is set to the first unparsed byte, or to the start
 * of the string if no digits were parsed ("0x" without a hex digit parses
 * as "0" and leaves endptr on the 'x').
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <inttypes.h>
#include <errno.h>
#include <limits.h>
#include <ctype.h>

static int
digit_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * Parses s.  Sets *neg to the sign, *overflow when the magnitude exceeds
 * limit, and returns the magnitude (saturated at limit).
 */
static unsigned long long
parse_integer(const char *s, char **endptr, int base,
			  unsigned long long limit, int *neg, int *overflow)
{
	const unsigned char *p = (const unsigned char *) s;
	unsigned long long acc = 0;
	int			any = 0;

	*neg = 0;
	*overflow = 0;
	if (base < 0 || base == 1 || base > 36)
	{
		errno = EINVAL;
		if (endptr)
			*endptr = (char *) s;
		return 0;
	}
	while (isspace(*p))
		p++;
	if (*p == '+' || *p == '-')
	{
		*neg = (*p == '-');
		p++;
	}
	if ((base == 0 || base == 16) && p[0] == '0' &&
		(p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16)
	{
		p += 2;
		base = 16;
	}
	else if (base == 0)
		base = (p[0] == '0') ? 8 : 10;

	for (;; p++)
	{
		int			d = digit_value(*p);

		if (d >= base)
			break;
		any = 1;
		if (*overflow)
			continue;
		if (acc > (limit - (unsigned long long) d) / (unsigned long long) base)
		{
			*overflow = 1;
			acc = limit;
		}
		else
			acc = acc * (unsigned long long) base + (unsigned long long) d;
	}
	if (endptr)
		*endptr = (char *) (any ? (const char *) p : s);
	return any ? acc : 0;
}

long long
strtoll(const char *restrict s, char **restrict endptr, int base)
{
	int			neg,
				overflow;
	unsigned long long mag;

	/* magnitude limit: LLONG_MAX, or |LLONG_MIN| for negative numbers */
	mag = parse_integer(s, endptr, base, (unsigned long long) LLONG_MAX + 1,
						&neg, &overflow);
	if (!neg && mag > (unsigned long long) LLONG_MAX)
		overflow = 1;
	if (overflow)
	{
		errno = ERANGE;
		return neg ? LLONG_MIN : LLONG_MAX;
	}
	if (neg)
		return mag == (unsigned long long) LLONG_MAX + 1 ? LLONG_MIN
			: -(long long) mag;
	return (long long) mag;
}

unsigned long long
strtoull(const char *restrict s, char **restrict endptr, int base)
{
	int			neg,
				overflow;
	unsigned long long mag;

	mag = parse_integer(s, endptr, base, ULLONG_MAX, &neg, &overflow);
	if (overflow)
	{
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return neg ? -mag : mag;
}

long
strtol(const char *restrict s, char **restrict endptr, int base)
{
	_Static_assert(sizeof(long) == sizeof(long long), "LP64");
	return (long) strtoll(s, endptr, base);
}

unsigned long
strtoul(const char *restrict s, char **restrict endptr, int base)
{
	return (unsigned long) strtoull(s, endptr, base);
}

intmax_t
strtoimax(const char *restrict s, char **restrict endptr, int base)
{
	return (intmax_t) strtoll(s, endptr, base);
}

uintmax_t
strtoumax(const char *restrict s, char **restrict endptr, int base)
{
	return (uintmax_t) strtoull(s, endptr, base);
}

/* atoi and friends: strtol without error reporting (errno kept). */
int
atoi(const char *s)
{
	int			save = errno;
	long		v = strtol(s, NULL, 10);

	errno = save;
	return (int) v;
}

long
atol(const char *s)
{
	int			save = errno;
	long		v = strtol(s, NULL, 10);

	errno = save;
	return v;
}

long long
atoll(const char *s)
{
	int			save = errno;
	long long	v = strtoll(s, NULL, 10);

	errno = save;
	return v;
}
