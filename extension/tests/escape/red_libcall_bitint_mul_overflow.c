/*
 * __builtin_mul_overflow on _BitInt(65) values: llvm.smul.with.overflow.i65
 * is not the i128 name cc_check refuses, but the code generator promotes
 * it to i128 and may emit a __muloti4 libcall.
 * Expected safe outcome: refused, or computed inline (no libcall):
 * overflow flag 1.
 */
// EXPECT-OUTPUT: 1
_BitInt(65) x = 1;
int ovf(long s) {
	_BitInt(65) a = (_BitInt(65)) s << 40, r;
	return __builtin_mul_overflow(a, a, &r);
}
// RUN: ovf 1048576
