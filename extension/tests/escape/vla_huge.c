/* §5: a variable-length array larger than the data stack is refused. */
// EXPECT-FAULT: stack overflow
#include <string.h>
int main(void)
{
	volatile unsigned long n = 1UL << 30;
	volatile unsigned long last = (1UL << 30) - 1;
	char vla[n];
	memset(vla, 1, 16);
	vla[last] = 2;
	return vla[last] + vla[3];
}
