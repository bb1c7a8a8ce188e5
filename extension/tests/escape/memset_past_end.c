/* §5: memset running over the 4 GiB end of the view faults. */
// EXPECT-FAULT: segmentation fault
#include <string.h>
#include <stdint.h>
int main(void)
{
	volatile uintptr_t at = 0xffffff00U;
	memset((void *) at, 0, 0x1000);
	return 0;
}
