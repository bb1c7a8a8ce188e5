/* Toolchain: another calling convention (ms_abi: rcx/rdx arguments, other
 * callee-saved registers) than the runtime's. */
// EXPECT-REJECT: calling convention
__attribute__((ms_abi)) int f(int a, int b) { return a + b; }
int main(void) { return f(1, -1); }
