/* §2.2: a small forged index beyond the table traps too. */
// EXPECT-FAULT: trap: indirect call
#include <stdint.h>
typedef int (*fn)(void);
int main(void)
{
	volatile uintptr_t idx = 100000;
	return ((fn) idx)();
}
