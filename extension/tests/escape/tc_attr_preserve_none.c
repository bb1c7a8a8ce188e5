/* Toolchain: preserve_most changes which registers a callee saves. */
// EXPECT-REJECT: calling convention
__attribute__((preserve_most)) int f(int a) { return a + 1; }
int main(void) { return f(-1); }
