/* §2.5 / §5 (data stack): the data-stack pointer is a global in the
 * sandbox's own image, so sandboxed code can overwrite it (here: found by
 * its value, just below DSTACK_TOP = 0x110000, among the module's globals,
 * and set into the NULL guard).  The runtime does not rewrite it between calls;
 * the next frame's check refuses it: a clean stack-overflow fault, never a
 * data stack outside [DSTACK_LIMIT, DSTACK_TOP). */
// EXPECT-FAULT: stack overflow
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int anchor = 1;

static __attribute__((noinline)) int
use_data_stack(int n)
{
	volatile char buf[64];

	memset((char *) buf, n, sizeof(buf));
	return buf[n & 63];
}

int main(void)
{
	uint64_t *lo = (uint64_t *) 0x110000;
	uint64_t *hi = (uint64_t *) ((uintptr_t) malloc(16) & ~(uintptr_t) 7);
	int found = 0;

	/* the image starts at DSTACK_TOP, the heap after it: scan the image */
	for (uint64_t *q = lo; q < hi; q++)
		if (*q > 0x100000 && *q <= 0x110000 && *q % 16 == 0)
		{
			*q = 0x20;			/* inside the NULL guard */
			found = 1;
			break;
		}
	if (!found)
		return 2;
	printf("%d\n", use_data_stack(anchor));
	return 0;
}
