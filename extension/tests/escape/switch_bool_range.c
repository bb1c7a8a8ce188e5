/* §5: a jump table's range check survives LLVM's beliefs.  A _Bool is
 * loaded with !range [0, 2), so LLVM takes b[0]*4 + b[1]*2 + b[2] to be
 * in [0, 7] and, left to itself, may drop the check of an 8-entry table.
 * The bytes hold 200 here: the index is 1000+, far past the table, and
 * must end in the trap of the (unreachable) default, not in a jump to
 * whatever follows the table. */
// EXPECT-FAULT: trap
#include <stdio.h>
static unsigned char raw[4];
__attribute__((noinline)) static int side(int x) { return x * 3 + 1; }
static __attribute__((noinline)) int pick(const _Bool *b)
{
	switch (b[0] * 4 + b[1] * 2 + b[2])
	{
		case 0: return side(10);
		case 1: return side(11) + 1;
		case 2: return side(12) * 2;
		case 3: return side(13) - 3;
		case 4: return side(14) ^ 4;
		case 5: return side(15) << 1;
		case 6: return side(16) / 2;
		case 7: return side(17) % 7;
		default: __builtin_unreachable();
	}
}
int main(void)
{
	volatile unsigned char v = 200;
	raw[0] = raw[1] = raw[2] = v;
	printf("%d\n", pick((const _Bool *) raw));
	return 0;
}
