/*-------------------------------------------------------------------------
 *
 * strtod.c
 *		Sandbox libc: strtod, strtof, atof (no strtold: long double is not supported in sandboxed code).
 *
 * The conversion itself is the host's C-locale strtod (host calls strtod
 * and strtof), which writes the end pointer as a view offset.  errno is a
 * sandbox variable the host cannot see, so ERANGE is derived here from the
 * result: an infinite result from text that does not spell "inf" is an
 * overflow, and a zero or subnormal result from text with a non-zero
 * digit is an underflow.
 *
 * Invariants: *endptr (when endptr is non-NULL) points into the argument
 * string, at its start if nothing was parsed.
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <ctype.h>

#include "tmebox_host.h"

/* Does the parsed text [s, end) spell a number with a non-zero digit? */
static int
has_nonzero_digit(const char *s, const char *end)
{
	int			hex = 0;

	for (const char *p = s; p < end; p++)
	{
		if (*p == 'x' || *p == 'X')
			hex = 1;
		else if ((*p == 'e' || *p == 'E') && !hex)
			return 0;			/* exponent: the mantissa was all zero */
		else if ((*p == 'p' || *p == 'P') && hex)
			return 0;
		else if (*p >= '1' && *p <= '9')
			return 1;
		else if (hex && isxdigit((unsigned char) *p) && *p != '0')
			return 1;
	}
	return 0;
}

/* Does [s, end) contain "inf" (any case)? */
static int
spells_inf(const char *s, const char *end)
{
	for (const char *p = s; p < end; p++)
	{
		if (*p == 'i' || *p == 'I')
			return 1;
	}
	return 0;
}

static void
set_range_errno(const char *s, const char *end, double v, double min_normal)
{
	if (isinf(v) && !spells_inf(s, end))
		errno = ERANGE;
	else if (fabs(v) < min_normal && has_nonzero_digit(s, end))
		errno = ERANGE;
}

double
strtod(const char *restrict s, char **restrict endptr)
{
	char	   *end = (char *) s;
	double		v = __tmebox_host_strtod(s, &end);

	set_range_errno(s, end, v, DBL_MIN);
	if (endptr)
		*endptr = end;
	return v;
}

float
strtof(const char *restrict s, char **restrict endptr)
{
	char	   *end = (char *) s;
	float		v = __tmebox_host_strtof(s, &end);

	set_range_errno(s, end, v, FLT_MIN);
	if (endptr)
		*endptr = end;
	return v;
}

double
atof(const char *s)
{
	int			save = errno;
	double		v = strtod(s, NULL);

	errno = save;
	return v;
}
