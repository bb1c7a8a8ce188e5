/* §2.5: overwriting memory near the top of the data stack (where the
 * compiler keeps frames) only corrupts the sandbox's own data; a corrupted
 * data-stack pointer fails the next frame's check. Contained either way. */
// EXPECT-CONTAINED
#include <stdint.h>
#include <string.h>
int main(void)
{
	volatile char local[32];
	char *p = (char *) local;
	memset(p - 4096, 0x5a, 8192);
	return local[0];
}
