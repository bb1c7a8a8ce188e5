/* §5: a 32-byte vector load straddling the 4 GiB end of the view faults in
 * the guard region. */
// EXPECT-FAULT: segmentation fault
#include <stdint.h>
typedef long v4 __attribute__((vector_size(32)));
int main(void)
{
	volatile uintptr_t at = 0xfffffff0U;
	v4 x = *(volatile v4 *) at;
	return (int) x[0];
}
