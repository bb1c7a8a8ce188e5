/* Floating point: libm, conversions, formatting, accumulation. */
#include <stdio.h>
#include <math.h>
#include <stdlib.h>

static double integrate(double (*f)(double), double a, double b, int n)
{
	double h = (b - a) / n, s = 0.5 * (f(a) + f(b));
	for (int i = 1; i < n; i++) s += f(a + i * h);
	return s * h;
}
static double gauss(double x) { return exp(-x * x); }

int main(void)
{
	double pts[][2] = { { 0.0, 0.0 }, { 3.0, 4.0 }, { -1.5, 2.25 } };
	float f = 0.0f;
	printf("pi ~ %.12f\n", 4.0 * atan(1.0));
	printf("sqrt(2) = %.15g hypot = %.6f\n", sqrt(2.0), hypot(pts[1][0], pts[1][1]));
	printf("gauss = %.10f\n", integrate(gauss, -5.0, 5.0, 10000));
	printf("sin cos = %.9f %.9f pow = %.6e\n", sin(1.0), cos(2.0), pow(1.0001, 10000.0));
	printf("log = %.12g %.12g fmod = %g\n", log(10.0), log10(12345.0), fmod(10.5, 3.0));
	printf("floor ceil round trunc = %g %g %g %g\n", floor(-2.5), ceil(-2.5), round(-2.5), trunc(-2.5));
	for (int i = 0; i < 1000; i++) f += 0.1f;
	printf("float sum = %.7g int conv = %d %lld\n", (double) f, (int) -3.99, (long long) 1e15);
	printf("inf nan = %f %f %d\n", 1.0 / 0.0 * (pts[0][0] + 1.0), sqrt(-1.0) * 0 + (0.0 / (pts[0][0])), isnan(0.0 / pts[0][0]));
	printf("strtod = %.17g %g\n", strtod("3.14159265358979", NULL), atof("-1e-3"));
	return 0;
}
