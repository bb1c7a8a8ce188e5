/* Toolchain: a noreturn function that returns (UB) must not fall through
 * into the next function's code. */
// EXPECT-FAULT: trap
__attribute__((noreturn, noinline)) static void no(volatile int *p) { (void) *p; }
__attribute__((noinline)) int next(void) { return 42; }
volatile int z;
int main(void) { no(&z); }
