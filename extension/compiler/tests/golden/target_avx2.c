/* AVX code would use register state the runtime does not scrub. */
__attribute__((target("avx2"))) int f(const int *a)
{
	int s = 0;
	for (int i = 0; i < 64; i++)
		s += a[i];
	return s;
}
