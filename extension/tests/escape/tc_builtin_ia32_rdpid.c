/* Toolchain: target builtins outside the intrinsic allow-list. */
// EXPECT-REJECT: error
int main(void) { return (int) __builtin_ia32_rdtsc(); }
