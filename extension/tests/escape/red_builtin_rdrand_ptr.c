/*
 * __builtin_ia32_rdrand32_step(&x): the intrinsic returns {value, ok} and
 * clang stores the value through the pointer: plain IR store (instrumented)
 * or a target intrinsic that stores raw.
 * Expected safe outcome: refused (target intrinsic), or contained.
 */
// EXPECT-REJECT: not allowed
unsigned x;
__attribute__((target("rdrnd"))) int main(void) { return __builtin_ia32_rdrand32_step(&x); }
