/* Toolchain: a function placed in a section of the attacker's choosing. */
// EXPECT-REJECT: section
__attribute__((section(".init_array"))) int f(void) { return 1; }
int main(void) { return f() - 1; }
