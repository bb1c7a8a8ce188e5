/* Toolchain: a function pointer cast to another type.  LLVM turns a call
 * through a constant pointer into a direct call even when the types
 * differ (undefined behaviour in C): the callee then reads an argument
 * register the caller did not set, which holds sandbox values only
 * (registers are cleared on entry and after host calls).  Contained; a
 * call through a pointer LLVM cannot resolve traps (fnptr_wrong_type.c). */
// EXPECT-CONTAINED
static long two(long a, long b) { return a + b; }
typedef long (*one_t)(long);
volatile long k = 1;
int main(void) { one_t f = (one_t) (void *) two; return (int) f(k); }
