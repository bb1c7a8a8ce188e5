/*-------------------------------------------------------------------------
 *
 * test_math.c
 *		math.h of the sandbox libc against glibc: every double and float
 *		function of one and two arguments on special values (zeros,
 *		infinities, NaN, subnormals, extremes, halves) and random values,
 *		bit for bit (NaN matches any NaN); fma/fmaf on random and hard
 *		(cancelling, subnormal, overflowing) triples; frexp, ldexp,
 *		scalbn, modf, ilogb, lround and the classification macros.
 *
 * Natively the host math calls are glibc's, so the transcendental
 * functions must match exactly too: that checks each is wired to the
 * right host call.
 *
 * Invariants: deterministic.
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <float.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "tmb.h"

typedef struct { const char *name; double (*ref) (double); double (*tmb) (double); } fn1;
typedef struct { const char *name; double (*ref) (double, double); double (*tmb) (double, double); } fn2;
typedef struct { const char *name; float (*ref) (float); float (*tmb) (float); } fn1f;
typedef struct { const char *name; float (*ref) (float, float); float (*tmb) (float, float); } fn2f;

extern double tmb_sin(double); extern float tmb_sinf(float);
extern double tmb_cos(double); extern float tmb_cosf(float);
extern double tmb_tan(double); extern float tmb_tanf(float);
extern double tmb_asin(double); extern float tmb_asinf(float);
extern double tmb_acos(double); extern float tmb_acosf(float);
extern double tmb_atan(double); extern float tmb_atanf(float);
extern double tmb_sinh(double); extern float tmb_sinhf(float);
extern double tmb_cosh(double); extern float tmb_coshf(float);
extern double tmb_tanh(double); extern float tmb_tanhf(float);
extern double tmb_asinh(double); extern float tmb_asinhf(float);
extern double tmb_acosh(double); extern float tmb_acoshf(float);
extern double tmb_atanh(double); extern float tmb_atanhf(float);
extern double tmb_exp(double); extern float tmb_expf(float);
extern double tmb_exp2(double); extern float tmb_exp2f(float);
extern double tmb_expm1(double); extern float tmb_expm1f(float);
extern double tmb_log(double); extern float tmb_logf(float);
extern double tmb_log2(double); extern float tmb_log2f(float);
extern double tmb_log10(double); extern float tmb_log10f(float);
extern double tmb_log1p(double); extern float tmb_log1pf(float);
extern double tmb_cbrt(double); extern float tmb_cbrtf(float);
extern double tmb_erf(double); extern float tmb_erff(float);
extern double tmb_erfc(double); extern float tmb_erfcf(float);
extern double tmb_tgamma(double); extern float tmb_tgammaf(float);
extern double tmb_lgamma(double); extern float tmb_lgammaf(float);
extern double tmb_fabs(double); extern float tmb_fabsf(float);
extern double tmb_sqrt(double); extern float tmb_sqrtf(float);
extern double tmb_floor(double); extern float tmb_floorf(float);
extern double tmb_ceil(double); extern float tmb_ceilf(float);
extern double tmb_trunc(double); extern float tmb_truncf(float);
extern double tmb_rint(double); extern float tmb_rintf(float);
extern double tmb_nearbyint(double); extern float tmb_nearbyintf(float);
extern double tmb_round(double); extern float tmb_roundf(float);
extern double tmb_logb(double); extern float tmb_logbf(float);
extern double tmb_atan2(double, double); extern float tmb_atan2f(float, float);
extern double tmb_pow(double, double); extern float tmb_powf(float, float);
extern double tmb_hypot(double, double); extern float tmb_hypotf(float, float);
extern double tmb_fmod(double, double); extern float tmb_fmodf(float, float);
extern double tmb_remainder(double, double); extern float tmb_remainderf(float, float);
extern double tmb_fmin(double, double); extern float tmb_fminf(float, float);
extern double tmb_fmax(double, double); extern float tmb_fmaxf(float, float);
extern double tmb_copysign(double, double); extern float tmb_copysignf(float, float);
extern double tmb_fdim(double, double); extern float tmb_fdimf(float, float);
extern double tmb_nextafter(double, double); extern float tmb_nextafterf(float, float);

static const fn1 d1[] = {
	{"sin", sin, tmb_sin},
	{"cos", cos, tmb_cos},
	{"tan", tan, tmb_tan},
	{"asin", asin, tmb_asin},
	{"acos", acos, tmb_acos},
	{"atan", atan, tmb_atan},
	{"sinh", sinh, tmb_sinh},
	{"cosh", cosh, tmb_cosh},
	{"tanh", tanh, tmb_tanh},
	{"asinh", asinh, tmb_asinh},
	{"acosh", acosh, tmb_acosh},
	{"atanh", atanh, tmb_atanh},
	{"exp", exp, tmb_exp},
	{"exp2", exp2, tmb_exp2},
	{"expm1", expm1, tmb_expm1},
	{"log", log, tmb_log},
	{"log2", log2, tmb_log2},
	{"log10", log10, tmb_log10},
	{"log1p", log1p, tmb_log1p},
	{"cbrt", cbrt, tmb_cbrt},
	{"erf", erf, tmb_erf},
	{"erfc", erfc, tmb_erfc},
	{"tgamma", tgamma, tmb_tgamma},
	{"lgamma", lgamma, tmb_lgamma},
	{"fabs", fabs, tmb_fabs},
	{"sqrt", sqrt, tmb_sqrt},
	{"floor", floor, tmb_floor},
	{"ceil", ceil, tmb_ceil},
	{"trunc", trunc, tmb_trunc},
	{"rint", rint, tmb_rint},
	{"nearbyint", nearbyint, tmb_nearbyint},
	{"round", round, tmb_round},
	{"logb", logb, tmb_logb},
};
static const fn2 d2[] = {
	{"atan2", atan2, tmb_atan2},
	{"pow", pow, tmb_pow},
	{"hypot", hypot, tmb_hypot},
	{"fmod", fmod, tmb_fmod},
	{"remainder", remainder, tmb_remainder},
	{"fmin", fmin, tmb_fmin},
	{"fmax", fmax, tmb_fmax},
	{"copysign", copysign, tmb_copysign},
	{"fdim", fdim, tmb_fdim},
	{"nextafter", nextafter, tmb_nextafter},
};
static const fn1f f1[] = {
	{"sinf", sinf, tmb_sinf},
	{"cosf", cosf, tmb_cosf},
	{"tanf", tanf, tmb_tanf},
	{"asinf", asinf, tmb_asinf},
	{"acosf", acosf, tmb_acosf},
	{"atanf", atanf, tmb_atanf},
	{"sinhf", sinhf, tmb_sinhf},
	{"coshf", coshf, tmb_coshf},
	{"tanhf", tanhf, tmb_tanhf},
	{"asinhf", asinhf, tmb_asinhf},
	{"acoshf", acoshf, tmb_acoshf},
	{"atanhf", atanhf, tmb_atanhf},
	{"expf", expf, tmb_expf},
	{"exp2f", exp2f, tmb_exp2f},
	{"expm1f", expm1f, tmb_expm1f},
	{"logf", logf, tmb_logf},
	{"log2f", log2f, tmb_log2f},
	{"log10f", log10f, tmb_log10f},
	{"log1pf", log1pf, tmb_log1pf},
	{"cbrtf", cbrtf, tmb_cbrtf},
	{"erff", erff, tmb_erff},
	{"erfcf", erfcf, tmb_erfcf},
	{"tgammaf", tgammaf, tmb_tgammaf},
	{"lgammaf", lgammaf, tmb_lgammaf},
	{"fabsf", fabsf, tmb_fabsf},
	{"sqrtf", sqrtf, tmb_sqrtf},
	{"floorf", floorf, tmb_floorf},
	{"ceilf", ceilf, tmb_ceilf},
	{"truncf", truncf, tmb_truncf},
	{"rintf", rintf, tmb_rintf},
	{"nearbyintf", nearbyintf, tmb_nearbyintf},
	{"roundf", roundf, tmb_roundf},
	{"logbf", logbf, tmb_logbf},
};
static const fn2f f2[] = {
	{"atan2f", atan2f, tmb_atan2f},
	{"powf", powf, tmb_powf},
	{"hypotf", hypotf, tmb_hypotf},
	{"fmodf", fmodf, tmb_fmodf},
	{"remainderf", remainderf, tmb_remainderf},
	{"fminf", fminf, tmb_fminf},
	{"fmaxf", fmaxf, tmb_fmaxf},
	{"copysignf", copysignf, tmb_copysignf},
	{"fdimf", fdimf, tmb_fdimf},
	{"nextafterf", nextafterf, tmb_nextafterf},
};

extern double tmb_fma(double, double, double);
extern float tmb_fmaf(float, float, float);
extern double tmb_frexp(double, int *);
extern double tmb_ldexp(double, int);
extern double tmb_scalbn(double, int);
extern float tmb_ldexpf(float, int);
extern double tmb_modf(double, double *);
extern int	tmb_ilogb(double);
extern long tmb_lround(double);
extern long tmb_lrint(double);
extern long long tmb_llround(double);

 /* float functions computed as the double function rounded to float */
#define VIA_DOUBLE " asinf acosf atanf sinhf coshf tanhf asinhf acoshf atanhf " \
	"exp2f expm1f log2f log10f log1pf cbrtf hypotf remainderf erff erfcf " \
	"tgammaf lgammaf logbf "

static int
in_via_list(const char *name)
{
	char		word[32];

	snprintf(word, sizeof word, " %s ", name);
	return strstr(VIA_DOUBLE, word) != NULL;
}

static unsigned long long rng = 424242;

static double
random_double(void)
{
	double		d;

	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	switch ((rng >> 60) & 3)
	{
		case 0:					/* any bit pattern */
			memcpy(&d, &rng, sizeof d);
			return d;
		case 1:
			return (double) (long long) (rng >> 40) / 1024.0 - 8192.0;
		case 2:
			return ldexp((double) (rng >> 11), -53 + (int) ((rng >> 20) % 40) - 20);
		default:
			return (double) ((long long) (rng >> 50) - 8192) * 0.25;
	}
}

static const double specials[] = {
	0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.0, 0.1, 1e-300,
	4.9e-324, -4.9e-324, 2.2250738585072014e-308, 1e300, DBL_MAX, -DBL_MAX,
	INFINITY, -INFINITY, NAN, 4503599627370495.5, 4503599627370497.0,
	9007199254740993.0, 0.49999999999999994, 710.0, -745.5, 1e16, M_PI
};
#define NSPEC (sizeof specials / sizeof specials[0])

static int
same_d(double a, double b)
{
	return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static int
same_f(float a, float b)
{
	return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

void
test_math(void)
{
	int			bad = 0;
	double		vals[NSPEC + 400];
	size_t		nv = 0;

	for (size_t i = 0; i < NSPEC; i++)
		vals[nv++] = specials[i];
	while (nv < sizeof vals / sizeof vals[0])
		vals[nv++] = random_double();

	for (size_t f = 0; f < sizeof d1 / sizeof d1[0]; f++)
	{
		int			fbad = 0;

		for (size_t i = 0; i < nv; i++)
		{
			double		r = d1[f].ref(vals[i]),
						t = d1[f].tmb(vals[i]);

			if (!same_d(r, t) && fbad++ < 3)
				fprintf(stderr, "  %s(%a): glibc %a tmb %a\n", d1[f].name, vals[i], r, t);
		}
		for (size_t i = 0; i < nv; i++)
		{
			float		x = (float) vals[i];
			float		r = f1[f].ref(x),
						t = f1[f].tmb(x);

			/* documented: these are the double function rounded to float */
			if (in_via_list(f1[f].name))
				r = (float) d1[f].ref(x);

			if (!same_f(r, t) && fbad++ < 3)
				fprintf(stderr, "  %s(%a): glibc %a tmb %a\n", f1[f].name, x, r, t);
		}
		bad += fbad;
	}
	for (size_t f = 0; f < sizeof d2 / sizeof d2[0]; f++)
	{
		int			fbad = 0;

		for (size_t i = 0; i < nv; i += 3)
			for (size_t j = 0; j < nv; j += 7)
			{
				double		r = d2[f].ref(vals[i], vals[j]),
							t = d2[f].tmb(vals[i], vals[j]);
				float		rf = f2[f].ref((float) vals[i], (float) vals[j]),
							tf = f2[f].tmb((float) vals[i], (float) vals[j]);

				/* fmin/fmax(+0, -0) may return either zero */
				int			minmax = strncmp(d2[f].name, "fm", 2) == 0 &&
					d2[f].name[2] != 'o';

				if (minmax && r == 0 && t == 0)
					t = r;
				if (minmax && rf == 0 && tf == 0)
					tf = rf;
				if (in_via_list(f2[f].name))
					rf = (float) d2[f].ref((float) vals[i], (float) vals[j]);
				if (!same_d(r, t) && fbad++ < 3)
					fprintf(stderr, "  %s(%a, %a): glibc %a tmb %a\n", d2[f].name,
							vals[i], vals[j], r, t);
				if (!same_f(rf, tf) && fbad++ < 3)
					fprintf(stderr, "  %s(%a, %a): glibc %a tmb %a\n", f2[f].name,
							(float) vals[i], (float) vals[j], rf, tf);
			}
		bad += fbad;
	}
	CHECK(bad == 0, "math functions: %d mismatches", bad);

	/* fma: random triples, then products cancelled by z and tiny results */
	bad = 0;
	for (int it = 0; it < 200000; it++)
	{
		double		x = random_double(),
					y = random_double(),
					z;

		switch (it % 4)
		{
			case 0:
				z = random_double();
				break;
			case 1:
				z = -(x * y);	/* cancellation: result is the rounding error */
				break;
			case 2:
				z = nextafter(-(x * y), 0.0);
				break;
			default:
				x = ldexp(x, -540);
				y = ldexp(fabs(y), -520);
				z = ldexp(random_double(), -1070);
				break;
		}
		if (!same_d(fma(x, y, z), tmb_fma(x, y, z)) && bad++ < 5)
			fprintf(stderr, "  fma(%a, %a, %a): glibc %a tmb %a\n", x, y, z,
					fma(x, y, z), tmb_fma(x, y, z));
		{
			float		fx = (float) x,
						fy = (float) y,
						fz = (it % 4 == 1) ? -(fx * fy) : (float) z;

			if (!same_f(fmaf(fx, fy, fz), tmb_fmaf(fx, fy, fz)) && bad++ < 5)
				fprintf(stderr, "  fmaf(%a, %a, %a): glibc %a tmb %a\n", fx, fy, fz,
						fmaf(fx, fy, fz), tmb_fmaf(fx, fy, fz));
		}
	}
	for (size_t i = 0; i < NSPEC; i++)
		for (size_t j = 0; j < NSPEC; j++)
			for (size_t k = 0; k < NSPEC; k += 2)
			{
				double		x = specials[i],
							y = specials[j],
							z = specials[k];

				if (!same_d(fma(x, y, z), tmb_fma(x, y, z)) && bad++ < 5)
					fprintf(stderr, "  fma(%a, %a, %a): glibc %a tmb %a\n", x, y, z,
							fma(x, y, z), tmb_fma(x, y, z));
			}
	CHECK(bad == 0, "fma/fmaf: %d mismatches", bad);

	/* frexp, ldexp, scalbn, modf, ilogb, lround, lrint */
	bad = 0;
	for (size_t i = 0; i < nv; i++)
	{
		double		x = vals[i],
					ip1,
					ip2;
		int			e1,
					e2;
		double		m1 = frexp(x, &e1),
					m2 = tmb_frexp(x, &e2);

		if (!same_d(m1, m2) || (isfinite(x) && e1 != e2))
			bad++;
		for (int n = -1100; n <= 1100; n += 137)
		{
			if (!same_d(ldexp(x, n), tmb_ldexp(x, n)) ||
				!same_d(scalbn(x, n), tmb_scalbn(x, n)) ||
				!same_f(ldexpf((float) x, n / 8), tmb_ldexpf((float) x, n / 8)))
			{
				if (bad++ < 5)
					fprintf(stderr, "  ldexp(%a, %d)\n", x, n);
			}
		}
		if (!same_d(modf(x, &ip1), tmb_modf(x, &ip2)) || !same_d(ip1, ip2))
			bad++;
		if (isfinite(x) && x != 0 && ilogb(x) != tmb_ilogb(x))
			bad++;
		if (isfinite(x) && fabs(x) < 1e18 &&
			(lround(x) != tmb_lround(x) || lrint(x) != tmb_lrint(x) ||
			 llround(x) != tmb_llround(x)))
		{
			if (bad++ < 5)
				fprintf(stderr, "  lround(%a)\n", x);
		}
	}
	CHECK(bad == 0, "frexp/ldexp/scalbn/modf/ilogb/lround: %d mismatches", bad);
	CHECK(tmb_lround(NAN) == LONG_MIN && tmb_lround(1e300) == LONG_MIN,
		  "lround out of range is LONG_MIN");
}
