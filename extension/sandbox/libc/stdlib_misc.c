/*-------------------------------------------------------------------------
 *
 * stdlib_misc.c
 *		Sandbox libc: integer arithmetic helpers (abs, div, imaxabs, ...)
 *		and the deterministic rand/srand.
 *
 * rand is a 64-bit linear congruential generator (Knuth's MMIX constants)
 * returning the top 31 bits; its state is per instance, seed 1 until
 * srand is called, so a function's random sequence is reproducible.
 *
 * Invariants: abs(INT_MIN) and div(INT_MIN, -1) are undefined in C; here
 * they wrap (two's complement) instead of trapping, and division by zero
 * in div() raises the same fault as the '/' operator.
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <inttypes.h>
#include <limits.h>

int
abs(int j)
{
	return j < 0 ? (int) (0u - (unsigned int) j) : j;
}

long
labs(long j)
{
	return j < 0 ? (long) (0ul - (unsigned long) j) : j;
}

long long
llabs(long long j)
{
	return j < 0 ? (long long) (0ull - (unsigned long long) j) : j;
}

intmax_t
imaxabs(intmax_t j)
{
	return llabs(j);
}

div_t
div(int numer, int denom)
{
	div_t		r;

	if (denom == -1)
	{
		r.quot = (int) (0u - (unsigned int) numer);
		r.rem = 0;
		return r;
	}
	r.quot = numer / denom;
	r.rem = numer % denom;
	return r;
}

ldiv_t
ldiv(long numer, long denom)
{
	ldiv_t		r;

	if (denom == -1)
	{
		r.quot = (long) (0ul - (unsigned long) numer);
		r.rem = 0;
		return r;
	}
	r.quot = numer / denom;
	r.rem = numer % denom;
	return r;
}

lldiv_t
lldiv(long long numer, long long denom)
{
	lldiv_t		r;

	if (denom == -1)
	{
		r.quot = (long long) (0ull - (unsigned long long) numer);
		r.rem = 0;
		return r;
	}
	r.quot = numer / denom;
	r.rem = numer % denom;
	return r;
}

imaxdiv_t
imaxdiv(intmax_t numer, intmax_t denom)
{
	lldiv_t		d = lldiv(numer, denom);
	imaxdiv_t	r;

	r.quot = d.quot;
	r.rem = d.rem;
	return r;
}

static uint64_t rand_state = 1;

int
rand(void)
{
	rand_state = rand_state * UINT64_C(6364136223846793005) +
		UINT64_C(1442695040888963407);
	return (int) (rand_state >> 33);
}

void
srand(unsigned int seed)
{
	rand_state = seed;
}
