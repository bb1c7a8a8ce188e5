/* §2.1: an 8-byte store straddling the 4 GiB end of the view lands in the
 * guard region after it, never in whatever follows the view. */
// EXPECT-FAULT: segmentation fault
#include <stdint.h>
int main(void)
{
	volatile uint64_t *p = (volatile uint64_t *) (uintptr_t) 0xfffffffcU;
	*p = 0x4141414141414141ULL;
	return 0;
}
