/* §5: an atomic read-modify-write through a forged host pointer stays in
 * the view (low 32 bits 0x1000 lie in the NULL guard). */
// EXPECT-FAULT: segmentation fault at view offset 0x1000
#include <stdint.h>
int main(void)
{
	volatile uintptr_t host = 0x00007ffe00001000ULL;
	return __atomic_fetch_add((int *) host, 1, __ATOMIC_SEQ_CST);
}
