/* Toolchain: target_clones makes an ifunc resolver plus AVX clones. */
// EXPECT-REJECT: error
__attribute__((target_clones("avx2", "default"))) int f(int x) { return x * 3; }
int main(void) { return f(2) - 6; }
