/* Toolchain: a naked function has no prologue or epilogue: only inline
 * assembly could give it a body. */
// EXPECT-REJECT: naked
__attribute__((naked)) void f(void) { }
int main(void) { return 0; }
