/* §2.1: pointer arithmetic beyond 4 GiB wraps around inside the view
 * (offsets are 32 bits): view base + 0x1_0000_0010 is view offset 0x10,
 * in the NULL guard. */
// EXPECT-FAULT: segmentation fault at view offset 0x10
#include <stdint.h>
#include <stdio.h>
int main(void)
{
	static char c;
	char *p = &c;
	uintptr_t delta = 0x100000010ULL - (uintptr_t) p;
	volatile char *q = p + delta;
	printf("%d\n", *q);
	return 0;
}
