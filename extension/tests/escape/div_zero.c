/* §2.3: integer division by zero is a clean error. */
// EXPECT-FAULT: division by zero
#include <stdio.h>
int main(void)
{
	volatile int a = 7, b = 0;
	printf("%d\n", a / b);
	return 0;
}
