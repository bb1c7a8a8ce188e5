/* §2.2: calling a host function by address: a function pointer is an index
 * into the module's table, so a raw address is an invalid index. */
// EXPECT-FAULT: trap: indirect call
#include <stdint.h>
typedef int (*fn)(const char *);
int main(void)
{
	volatile uintptr_t addr = 0x00007ffff7e4a3b0ULL;	/* looks like libc's puts */
	fn f = (fn) addr;
	return f("hello");
}
