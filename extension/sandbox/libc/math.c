/*-------------------------------------------------------------------------
 *
 * math.c
 *		Sandbox libc: the exact double functions of <math.h>, computed in
 *		the sandbox (compiler builtins that lower to SSE4.1 instructions,
 *		or bit manipulation).
 *
 * Invariants: correctly rounded (these operations are exact or defined
 * as one rounding); no host call except round (an ABI host call); the
 * conversions to integer return LONG_MIN / LLONG_MIN for NaN and
 * out-of-range values (the x86 "integer indefinite") instead of being
 * undefined.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <stdint.h>
#include <limits.h>

typedef union
{
	double		d;
	uint64_t	i;
} dbits;

double
fabs(double x)
{
	return __builtin_fabs(x);
}

double
sqrt(double x)
{
	return __builtin_elementwise_sqrt(x);
}

double
floor(double x)
{
	return __builtin_floor(x);
}

double
ceil(double x)
{
	return __builtin_ceil(x);
}

double
trunc(double x)
{
	return __builtin_trunc(x);
}

double
rint(double x)
{
	return __builtin_rint(x);
}

double
nearbyint(double x)
{
	return __builtin_nearbyint(x);
}

double
fmin(double x, double y)
{
	return __builtin_fmin(x, y);
}

double
fmax(double x, double y)
{
	return __builtin_fmax(x, y);
}

double
copysign(double x, double y)
{
	return __builtin_copysign(x, y);
}

double
fdim(double x, double y)
{
	if (isnan(x) || isnan(y))
		return x + y;
	return x > y ? x - y : 0.0;
}

/* x * 2^n with one rounding (musl's algorithm: scale in steps). */
double
scalbn(double x, int n)
{
	dbits		u;
	double		y = x;

	if (n > 1023)
	{
		y *= 0x1p1023;
		n -= 1023;
		if (n > 1023)
		{
			y *= 0x1p1023;
			n -= 1023;
			if (n > 1023)
				n = 1023;
		}
	}
	else if (n < -1022)
	{
		/* scale by 2^-969 (not 2^-1022) so the final step rounds once */
		y *= 0x1p-1022 * 0x1p53;
		n += 1022 - 53;
		if (n < -1022)
		{
			y *= 0x1p-1022 * 0x1p53;
			n += 1022 - 53;
			if (n < -1022)
				n = -1022;
		}
	}
	u.i = (uint64_t) (0x3ff + n) << 52;
	return y * u.d;
}

double
scalbln(double x, long n)
{
	if (n > INT_MAX)
		n = INT_MAX;
	else if (n < INT_MIN)
		n = INT_MIN;
	return scalbn(x, (int) n);
}

double
ldexp(double x, int exp)
{
	return scalbn(x, exp);
}

double
frexp(double x, int *exp)
{
	dbits		u;
	int			e;

	u.d = x;
	e = (int) (u.i >> 52 & 0x7ff);
	if (e == 0)
	{
		if (x != 0)
		{
			x = frexp(x * 0x1p64, exp);
			*exp -= 64;
		}
		else
			*exp = 0;
		return x;
	}
	if (e == 0x7ff)
	{
		*exp = 0;
		return x;
	}
	*exp = e - 0x3fe;
	u.i &= UINT64_C(0x800fffffffffffff);
	u.i |= UINT64_C(0x3fe0000000000000);
	return u.d;
}

double
modf(double x, double *iptr)
{
	double		t = __builtin_trunc(x);

	*iptr = t;
	if (isinf(x))
		return __builtin_copysign(0.0, x);
	return __builtin_copysign(x - t, x);
}

int
ilogb(double x)
{
	int			e;

	if (x == 0)
		return FP_ILOGB0;
	if (isnan(x))
		return FP_ILOGBNAN;
	if (isinf(x))
		return INT_MAX;
	(void) frexp(x, &e);
	return e - 1;
}

double
logb(double x)
{
	if (x == 0)
		return -HUGE_VAL;
	if (isnan(x))
		return x;
	if (isinf(x))
		return HUGE_VAL;
	return (double) ilogb(x);
}

double
nextafter(double x, double y)
{
	dbits		ux,
				uy;

	if (isnan(x) || isnan(y))
		return x + y;
	if (x == y)
		return y;
	ux.d = x;
	uy.d = y;
	if (x == 0)
		ux.i = (uy.i & UINT64_C(0x8000000000000000)) | 1;
	else if ((x < y) == (x > 0))
		ux.i++;
	else
		ux.i--;
	return ux.d;
}

/* Integer conversion with a defined result outside the range. */
static long long
to_llong(double r)
{
	if (!(r >= -0x1p63 && r < 0x1p63))
		return LLONG_MIN;
	return (long long) r;
}

long
lround(double x)
{
	return (long) to_llong(round(x));
}

long long
llround(double x)
{
	return to_llong(round(x));
}

long
lrint(double x)
{
	return (long) to_llong(__builtin_rint(x));
}

long long
llrint(double x)
{
	return to_llong(__builtin_rint(x));
}
