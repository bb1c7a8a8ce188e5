/* §2.2: smashing "the return address": writing well past a local array
 * (which natively overwrites the saved return address and crashes) only
 * reaches the data stack in the view -- here the caller's padding.
 * Return addresses live on the native stack, which no sandbox pointer can
 * reach, so the function still returns where it should. */
// EXPECT-OUTPUT: returned normally 42
#include <stdio.h>
static int __attribute__((noinline)) victim(int x)
{
	volatile char buf[16];
	for (int i = -64; i < 128; i++)
		buf[i] = (char) 0x41;
	return x + buf[3] - 0x41;
}
int main(void)
{
	volatile char pad[512];
	for (int i = 0; i < 512; i++)
		pad[i] = 0;
	int r = victim(42);
	printf("returned normally %d, caller's padding now %#x\n", r, (unsigned char) pad[100]);
	return 0;
}
