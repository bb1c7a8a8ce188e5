/*-------------------------------------------------------------------------
 *
 * math_fma.c
 *		Sandbox libc: fma(x, y, z) = x * y + z with a single rounding.
 *
 * x86-64-v2 has no FMA instruction and LLVM would lower llvm.fma to a
 * call of fma itself, so this is integer arithmetic: the 106-bit product
 * of the significands and z's significand are placed in 128-bit integers
 * (top bit at position 125), the one with the smaller exponent is shifted
 * right keeping a sticky bit, they are added or subtracted, and the result
 * is rounded to nearest-even once, to a normal or subnormal double.
 *
 * Invariants: infinite/NaN/zero x or y take the plain x * y + z path,
 * which is exact for them; with finite x and y an infinite or NaN z is
 * the result; the integer path never shifts by 128 or
 * more and never divides.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <stdint.h>

typedef unsigned __int128 u128;

typedef union
{
	double		d;
	uint64_t	i;
} dbits;

/* Splits finite non-zero x into sign, 53-bit significand m and e: m*2^e. */
static void
decompose(double x, int *sign, uint64_t *m, int *e)
{
	dbits		u;
	int			be;

	u.d = x;
	*sign = (int) (u.i >> 63);
	be = (int) (u.i >> 52 & 0x7ff);
	*m = u.i & ((UINT64_C(1) << 52) - 1);
	if (be == 0)
		*e = -1074;				/* subnormal */
	else
	{
		*m |= UINT64_C(1) << 52;
		*e = be - 1075;
	}
}

static int
top_bit(u128 v)
{
	uint64_t	hi = (uint64_t) (v >> 64);

	if (hi)
		return 127 - __builtin_clzll(hi);
	return 63 - __builtin_clzll((uint64_t) v);
}

/* Shifts v right by s bits, or-ing the lost bits into bit 0. */
static u128
shift_sticky(u128 v, int s)
{
	u128		lost;

	if (s <= 0)
		return v;
	if (s >= 127)
		return v != 0;
	lost = v & (((u128) 1 << s) - 1);
	return (v >> s) | (lost != 0);
}

/* (-1)^sign * m * 2^e rounded to nearest-even double; m != 0. */
static double
round_to_double(int sign, u128 m, int e)
{
	int			t = top_bit(m);
	int			E = t + e;		/* value is in [2^E, 2^(E+1)) */
	int			keep_lsb;		/* exponent of the last kept bit */
	int			s;
	uint64_t	q;
	u128		rem,
				half;
	dbits		u;

	if (E > 1023)
		return sign ? -HUGE_VAL : HUGE_VAL;
	keep_lsb = (E >= -1022) ? E - 52 : -1074;
	s = keep_lsb - e;			/* bits to drop */
	if (s <= 0)
		q = (uint64_t) (m << -s);
	else
	{
		if (s > 127)
		{
			rem = m;
			q = 0;
			half = (u128) 1 << 127;		/* m < 2^127: below half */
			rem = rem != 0 ? 1 : 0;
		}
		else
		{
			q = (uint64_t) (m >> s);
			rem = m & (((u128) 1 << s) - 1);
			half = (u128) 1 << (s - 1);
		}
		if (rem > half || (rem == half && (q & 1)))
			q++;
	}
	/* q < 2^54; q == 2^53 after a carry means the next binade */
	if (E >= -1022)
	{
		if (q >> 53)
		{
			q >>= 1;
			E++;
			if (E > 1023)
				return sign ? -HUGE_VAL : HUGE_VAL;
		}
		u.i = ((uint64_t) (E + 1023) << 52) | (q & ((UINT64_C(1) << 52) - 1));
	}
	else
		u.i = q;				/* subnormal; a carry into bit 52 is right */
	u.i |= (uint64_t) sign << 63;
	return u.d;
}

double
fma(double x, double y, double z)
{
	int			sx,
				sy,
				sz,
				ex,
				ey,
				ez,
				ep,
				sp;
	uint64_t	mx,
				my,
				mz;
	u128		P,
				Z,
				R;

	if (!isfinite(x) || !isfinite(y) || x == 0 || y == 0)
		return x * y + z;
	if (!isfinite(z))
		return z;				/* the exact product is finite */
	if (z == 0)
		return x * y;			/* one rounding; (x*y) + (+-0) is exact */

	decompose(x, &sx, &mx, &ex);
	decompose(y, &sy, &my, &ey);
	decompose(z, &sz, &mz, &ez);
	sp = sx ^ sy;
	P = (u128) mx * my;
	ep = ex + ey;
	/* Normalise both to top bit 125. */
	{
		int			tp = top_bit(P);
		int			tz = 63 - __builtin_clzll(mz);

		P <<= 125 - tp;
		ep -= 125 - tp;
		Z = (u128) mz << (125 - tz);
		ez -= 125 - tz;
	}
	if (ep >= ez)
	{
		Z = shift_sticky(Z, ep - ez);
		ez = ep;
	}
	else
	{
		P = shift_sticky(P, ez - ep);
		ep = ez;
	}
	if (sp == sz)
		R = P + Z;
	else if (P >= Z)
		R = P - Z;
	else
	{
		R = Z - P;
		sp = sz;
	}
	if (R == 0)
		return 0.0;				/* exact cancellation: +0 in round-to-nearest */
	return round_to_double(sp, R, ep);
}
