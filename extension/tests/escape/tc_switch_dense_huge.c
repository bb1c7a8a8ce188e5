/* Toolchain: a dense switch must not become a jump table (an indirect
 * jump); out-of-range values take the default. */
// EXPECT-OUTPUT: 7
#include <stdio.h>
volatile int x = 1000000;
static int f(int v) { switch (v) { case 0: return 1; case 1: return 2; case 2: return 3; case 3: return 4; case 4: return 5; case 5: return 6; case 6: return 8; case 7: return 9; case 8: return 10; default: return 7; } }
int main(void) { printf("%d\n", f(x)); return 0; }
