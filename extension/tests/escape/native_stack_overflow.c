/* §2.3: unbounded recursion without locals (frames only on the native
 * stack) overflows the sandbox's native stack into its guard page: a clean
 * stack overflow error, not a dead process. */
// EXPECT-FAULT: stack overflow
#include <stdint.h>
static volatile int64_t stop = -1;
static int64_t __attribute__((noinline)) deep(int64_t a, int64_t b, int64_t c)
{
	if (a == stop)
		return 0;
	int64_t r = deep(a + 1, b * 3 + 1, c ^ a);
	return r * 7 + b - c;
}
int main(void) { return (int) deep(0, 1, 2); }
