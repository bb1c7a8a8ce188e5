/* §2.1: dereferencing NULL faults (page 0 of the view is never mapped). */
// EXPECT-FAULT: segmentation fault at view offset 0x0
#include <stdio.h>
int main(void)
{
	volatile int *p = 0;
	printf("%d\n", *p);
	return 0;
}
