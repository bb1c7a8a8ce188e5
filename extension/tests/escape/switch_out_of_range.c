/* §5: a switch whose default is declared unreachable, given an index out of
 * range, traps instead of jumping through a table. */
// EXPECT-FAULT: trap
#include <stdio.h>
static int __attribute__((noinline)) pick(int x)
{
	switch (x)
	{
		case 0: return 10; case 1: return 21; case 2: return 32; case 3: return 43;
		case 4: return 54; case 5: return 65; case 6: return 76; case 7: return 87;
		default: __builtin_unreachable();
	}
}
int main(void)
{
	volatile int i = 1000000;
	printf("%d\n", pick(i));
	return 0;
}
