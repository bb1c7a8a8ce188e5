/*-------------------------------------------------------------------------
 *
 * mathf.c
 *		Sandbox libc: the exact float functions of <math.h>.
 *
 * Builtins where they lower to instructions; otherwise the double
 * function on the (exactly) widened argument, which is exact here because
 * every float result these compute is representable after one rounding
 * to float (scalbn, frexp, modf, nextafter work on exact values).
 *
 * Invariants: as math.c.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <stdint.h>
#include <limits.h>

float
fabsf(float x)
{
	return __builtin_fabsf(x);
}

float
sqrtf(float x)
{
	return __builtin_elementwise_sqrt(x);
}

float
floorf(float x)
{
	return __builtin_floorf(x);
}

float
ceilf(float x)
{
	return __builtin_ceilf(x);
}

float
truncf(float x)
{
	return __builtin_truncf(x);
}

float
rintf(float x)
{
	return __builtin_rintf(x);
}

float
nearbyintf(float x)
{
	return __builtin_nearbyintf(x);
}

float
fminf(float x, float y)
{
	return __builtin_fminf(x, y);
}

float
fmaxf(float x, float y)
{
	return __builtin_fmaxf(x, y);
}

float
copysignf(float x, float y)
{
	return __builtin_copysignf(x, y);
}

float
fdimf(float x, float y)
{
	if (isnan(x) || isnan(y))
		return x + y;
	return x > y ? x - y : 0.0f;
}

float
scalbnf(float x, int n)
{
	/* double has room for every float times 2^n that does not overflow */
	if (n > 400)
		n = 400;
	else if (n < -400)
		n = -400;
	return (float) scalbn(x, n);
}

float
scalblnf(float x, long n)
{
	return scalbnf(x, n > 400 ? 400 : n < -400 ? -400 : (int) n);
}

float
ldexpf(float x, int exp)
{
	return scalbnf(x, exp);
}

float
frexpf(float x, int *exp)
{
	return (float) frexp(x, exp);
}

float
modff(float x, float *iptr)
{
	double		i;
	float		r = (float) modf(x, &i);

	*iptr = (float) i;
	return r;
}

int
ilogbf(float x)
{
	return ilogb(x);
}

float
logbf(float x)
{
	return (float) logb(x);
}

float
nextafterf(float x, float y)
{
	union
	{
		float		f;
		uint32_t	i;
	}			ux, uy;

	if (isnan(x) || isnan(y))
		return x + y;
	if (x == y)
		return y;
	ux.f = x;
	uy.f = y;
	if (x == 0)
		ux.i = (uy.i & UINT32_C(0x80000000)) | 1;
	else if ((x < y) == (x > 0))
		ux.i++;
	else
		ux.i--;
	return ux.f;
}

/*
 * x * y + z rounded once to float: x * y is exact in double; the double
 * sum is made round-to-odd (nudged one ulp toward the exact sum when it
 * was inexact and came out even), after which rounding to float is
 * correct (53 >= 24 + 2).
 */
float
fmaf(float x, float y, float z)
{
	double		p = (double) x * (double) y;
	double		s = p + z;
	double		bb,
				err;
	union
	{
		double		d;
		uint64_t	i;
	}			u;

	if (!isfinite(s) || p == 0 || z == 0)
		return (float) s;
	bb = s - p;
	err = (p - (s - bb)) + ((double) z - bb);
	u.d = s;
	if (err != 0 && (u.i & 1) == 0)
	{
		if ((err > 0) == (s > 0))
			u.i++;
		else
			u.i--;
	}
	return (float) u.d;
}

static long long
to_llong(float r)
{
	if (!(r >= -0x1p63f && r < 0x1p63f))
		return LLONG_MIN;
	return (long long) r;
}

long
lroundf(float x)
{
	return (long) to_llong(roundf(x));
}

long long
llroundf(float x)
{
	return to_llong(roundf(x));
}

long
lrintf(float x)
{
	return (long) to_llong(__builtin_rintf(x));
}

long long
llrintf(float x)
{
	return to_llong(__builtin_rintf(x));
}
