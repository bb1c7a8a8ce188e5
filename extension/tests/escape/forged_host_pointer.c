/* §2.1: a forged pointer to host memory (a typical address in the host's
 * stack or libraries) is only ever a view offset: its low 32 bits are used
 * inside the sandbox's own view, where nothing is mapped there. */
// EXPECT-FAULT: segmentation fault at view offset 0x7a001230
#include <stdint.h>
#include <stdio.h>
int main(void)
{
	uintptr_t host = 0x00007fff7a001230ULL;
	volatile long *p = (volatile long *) host;
	printf("%ld\n", *p);
	return 0;
}
