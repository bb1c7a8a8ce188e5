/* §5: recursion with large address-taken locals exhausts the data stack
 * (in the view) before the native stack: a clean stack overflow. */
// EXPECT-FAULT: stack overflow
#include <string.h>
static int __attribute__((noinline)) deep(int n)
{
	char big[8192];
	memset(big, n, sizeof big);
	return deep(n + 1) + big[n % 8192];
}
int main(void) { return deep(1); }
