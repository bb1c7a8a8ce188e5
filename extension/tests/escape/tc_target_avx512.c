/* Toolchain: AVX-512 code would use zmm16-31 and k0-k7, host register
 * state the runtime does not clear. */
// EXPECT-REJECT: instruction-set features
__attribute__((target("avx512f"))) int f(const int *a) { int s = 0; for (int i = 0; i < 256; i++) s += a[i]; return s; }
int main(void) { static int a[256]; return f(a); }
