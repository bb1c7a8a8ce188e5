/*
 * __int128 multiply and shifts (inline on x86-64) and __int128 mul with
 * overflow through a _BitInt(127) detour (llvm.smul.with.overflow.i127 ->
 * promoted: __muloti4).
 * Expected safe outcome: refused or inline; returns 1.
 */
// EXPECT-OUTPUT: 1
int f(long s) {
	_BitInt(127) a = (_BitInt(127)) s << 100, r;
	return __builtin_mul_overflow(a, a, &r);
}
// RUN: f 3
