/*
 * __builtin_cpu_supports / __builtin_cpu_init: clang reads the external
 * global __cpu_model and calls __cpu_indicator_init (compiler-rt): an
 * external symbol the linker would have to resolve.
 * Expected safe outcome: refused (external variable/function).
 */
// EXPECT-REJECT: __cpu
int main(void) { __builtin_cpu_init(); return __builtin_cpu_supports("avx2"); }
