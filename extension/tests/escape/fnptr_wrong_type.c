/* §2.2: calling a real function through a pointer of another type traps
 * (the table entry's type id must match the call's). */
// EXPECT-FAULT: trap: indirect call
#include <stdio.h>
static int twice(int x) { return 2 * x; }
typedef double (*dfn)(double, double);
int main(void)
{
	void *volatile p = (void *) twice;
	dfn f = (dfn) p;
	printf("%f\n", f(1.0, 2.0));
	return 0;
}
