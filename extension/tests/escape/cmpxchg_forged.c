/* §5: compare-and-swap through a forged pointer stays in the view. */
// EXPECT-FAULT: segmentation fault at view offset 0x2000
#include <stdint.h>
#include <stdbool.h>
int main(void)
{
	volatile uintptr_t host = 0x0000555500002000ULL;
	long expected = 0;
	return __atomic_compare_exchange_n((long *) host, &expected, 1L, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
