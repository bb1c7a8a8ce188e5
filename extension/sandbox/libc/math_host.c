/*-------------------------------------------------------------------------
 *
 * math_host.c
 *		Sandbox libc: the transcendental functions of <math.h>, which call
 *		the host's libm through the math host calls of tmebox_abi.h.
 *
 * Float versions use the host's float functions where the ABI has them
 * (sinf cosf tanf expf logf powf fmodf atan2f roundf) and otherwise the
 * double function, rounded to float (at most one extra rounding).
 *
 * Invariants: every function is a direct call of one host function; no
 * state, no errno.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>

#include "tmebox_host.h"

#define HOST1(name, host) \
double name(double x) { return __tmebox_host_##host(x); }
#define HOST2(name, host) \
double name(double x, double y) { return __tmebox_host_##host(x, y); }
#define VIA1(namef, host) \
float namef(float x) { return (float) __tmebox_host_##host(x); }
#define VIA2(namef, host) \
float namef(float x, float y) { return (float) __tmebox_host_##host(x, y); }
#define HOSTF1(namef) \
float namef(float x) { return __tmebox_host_##namef(x); }
#define HOSTF2(namef) \
float namef(float x, float y) { return __tmebox_host_##namef(x, y); }

HOST1(sin, sin)
HOST1(cos, cos)
HOST1(tan, tan)
HOST1(asin, asin)
HOST1(acos, acos)
HOST1(atan, atan)
HOST2(atan2, atan2)
HOST1(sinh, sinh)
HOST1(cosh, cosh)
HOST1(tanh, tanh)
HOST1(asinh, asinh)
HOST1(acosh, acosh)
HOST1(atanh, atanh)
HOST1(exp, exp)
HOST1(exp2, exp2)
HOST1(expm1, expm1)
HOST1(log, log_)
HOST1(log2, log2)
HOST1(log10, log10)
HOST1(log1p, log1p)
HOST2(pow, pow)
HOST1(cbrt, cbrt)
HOST2(hypot, hypot)
HOST2(fmod, fmod)
HOST2(remainder, remainder)
HOST1(erf, erf)
HOST1(erfc, erfc)
HOST1(tgamma, tgamma)
HOST1(lgamma, lgamma)
HOST1(round, round)

HOSTF1(sinf)
HOSTF1(cosf)
HOSTF1(tanf)
HOSTF1(expf)
HOSTF1(logf)
HOSTF2(powf)
HOSTF2(fmodf)
HOSTF2(atan2f)
HOSTF1(roundf)

VIA1(asinf, asin)
VIA1(acosf, acos)
VIA1(atanf, atan)
VIA1(sinhf, sinh)
VIA1(coshf, cosh)
VIA1(tanhf, tanh)
VIA1(asinhf, asinh)
VIA1(acoshf, acosh)
VIA1(atanhf, atanh)
VIA1(exp2f, exp2)
VIA1(expm1f, expm1)
VIA1(log2f, log2)
VIA1(log10f, log10)
VIA1(log1pf, log1p)
VIA1(cbrtf, cbrt)
VIA2(hypotf, hypot)
VIA2(remainderf, remainder)
VIA1(erff, erf)
VIA1(erfcf, erfc)
VIA1(tgammaf, tgamma)
VIA1(lgammaf, lgamma)
