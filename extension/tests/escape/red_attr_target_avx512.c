/*
 * __attribute__((target("avx512f"))): the module is built for x86-64-v2 and
 * the runtime clears only xmm1-15 (ABI.md); AVX-512 code can read zmm16-31
 * and the upper halves of ymm/zmm, which still hold host values.  An
 * uninitialised __m512 vector is whatever register LLVM picks.
 * Expected safe outcome: refused (target attributes are not the tenant's
 * to choose), or contained with no host data (the result is 0).
 */
// EXPECT-REJECT: instruction-set features
typedef long v8 __attribute__((vector_size(64)));
__attribute__((target("avx512f"), noinline)) long sum(void) {
	v8 x;
	long s = 0;
	for (int i = 0; i < 8; i++) s |= x[i];
	return s;
}
long s(void) { return sum(); }
// RUN: s
