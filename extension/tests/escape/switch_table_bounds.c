/* §5: switch statements compile to jump tables, bounded: an index below,
 * above or far outside the cases (negative, INT_MIN, INT_MAX, values that
 * would reach past the table into other data or code) takes the default,
 * as in C.  The table is read-only module data: no sandbox store can
 * change where it leads.  (The cases do different things, so this is a
 * jump table, not a table of constants.) */
// EXPECT-OUTPUT: g 19687 defaults 8
#include <limits.h>
#include <stdio.h>
static unsigned g = 1;
static int defaults;
static void __attribute__((noinline)) step(int x)
{
	switch (x)
	{
		case 0: g += 3; break;
		case 1: g ^= 0x55; break;
		case 2: g *= 7; break;
		case 3: g -= 11; break;
		case 4: g = (g << 3) | (g >> 29); break;
		case 5: g |= 0x100; break;
		case 6: g &= 0x7ffffff0; break;
		case 7: g += g >> 4; break;
		case 8: g = ~g; break;
		case 9: g /= 3; break;
		case 10: g %= 100003; break;
		case 11: g += 12345; break;
		default: defaults++; g += 1; break;
	}
}
static volatile int probes[] = {-1, 12, 13, INT_MIN, INT_MAX, 0x10000000, -0x10000000, 1 << 30};
int main(void)
{
	for (int r = 0; r < 3; r++)
		for (volatile int i = 0; i < 12; i++)
			step(i);
	for (int i = 0; i < 8; i++)
		step(probes[i]);
	printf("g %u defaults %d\n", g, defaults);
	return 0;
}
