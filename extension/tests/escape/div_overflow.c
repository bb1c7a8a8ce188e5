/* §2.3: INT_MIN / -1 traps in hardware; it is a clean error too. */
// EXPECT-FAULT: division
#include <limits.h>
#include <stdio.h>
int main(void)
{
	volatile int a = INT_MIN, b = -1;
	printf("%d\n", a / b);
	return 0;
}
