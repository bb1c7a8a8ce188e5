/* Toolchain: __builtin_cpu_supports reads a libgcc global
 * (__cpu_model) the sandbox does not have. */
// EXPECT-REJECT: error
int main(void) { return __builtin_cpu_supports("avx2"); }
