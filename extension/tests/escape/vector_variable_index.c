/* Vector elements at a variable index (C's v[i] on vector_size types) used
 * to be a stack temporary addressed as d(%rsp,%reg,s), which the verifier
 * refuses, so such programs did not compile; and a 48 KiB vector needed
 * a stack-probe loop (refused too).  Now element accesses become compares
 * and selects: the program compiles and computes what it does natively. */
// EXPECT-OUTPUT: vecidx 5823 -7 37.5 25
#include <stdio.h>
typedef int v4i __attribute__((vector_size(16)));
typedef double v2d __attribute__((vector_size(16)));
typedef float v8f __attribute__((vector_size(32)));
typedef unsigned char v16c __attribute__((vector_size(16)));
typedef long long big __attribute__((vector_size(49152)));
/* an array, not a global of the vector type: that would be aligned to
 * 64 KiB, above the page size tmebox-cc allows for globals */
static long long g[8192];
__attribute__((noinline)) static void big_set(int i, long long x)
{
	big v;

	__builtin_memcpy(&v, g, sizeof v);
	v[i % 6144] = x;
	__builtin_memcpy(g, &v, sizeof v);
}
__attribute__((noinline)) static long long big_get(int i) { big v; __builtin_memcpy(&v, g, sizeof v); return v[i % 6144]; }
int main(void)
{
	volatile int k = 3;
	v4i a = {1, 2, 3, 4};
	v2d d = {0.5, 1.5};
	v8f f = {0, 1, 2, 3, 4, 5, 6, 7};
	v16c c = {0};
	long s = 0;
	for (int i = 0; i < 4; i++)
		a[(i + k) & 3] *= 10 + i;
	for (int i = 0; i < 4; i++)
		s += a[i] * (i + 1);
	a[k] = -7;
	d[k & 1] *= 25.0;
	f[(k + 2) & 7] = 25.0f;
	for (int i = 0; i < 16; i++)
		c[(i * 7) & 15] = (unsigned char) (c[(i * 5) & 15] + i * 3);
	for (int i = 0; i < 16; i++)
		s += c[i];
	for (int i = 0; i < 100; i++)
		big_set(i * 61, i);
	for (int i = 0; i < 100; i++)
		s += big_get(i * 61);
	printf("vecidx %ld %d %.1f %.0f\n", s, a[k], d[k & 1], (double) f[(k + 2) & 7]);
	return 0;
}
