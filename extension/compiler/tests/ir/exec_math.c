/* Execution: math intrinsics and frem through host calls == native libm. */
// ARGS: 0 1 2 3 7 10 100
// CFLAGS: -fno-math-errno
long test_main(long k)
{
	double x = (double) k * 0.37 + 0.5, y = 1.25 + k;
	float fx = (float) x, fy = (float) y;
	double r = __builtin_sin(x) + __builtin_cos(y) + __builtin_pow(x, 1.5) +
		__builtin_fmod(y * 3.3, x) + __builtin_log(y) + __builtin_exp(x / 10) +
		__builtin_round(x * 2.5) + __builtin_lround(y * 1.5) + __builtin_powi(x, 3) +
		__builtin_fmodf(fy * 2.7f, fx) + __builtin_sinf(fx) + __builtin_exp2(x / 4) +
		__builtin_log10(y) + __builtin_log2(y);
	return (long) (r * 1000000.0);
}
