/* Execution: an infinite loop, an irreducible loop and unbounded recursion
 * all reach the interrupt poll (flag set by the harness) or the data-stack
 * guard. */
// ARGS: --interrupt 0 1 2
// NO-NATIVE
// EXEC: test_main(0) interrupted
// EXEC-NEXT: test_main(1) interrupted
// EXEC-NEXT: test_main(2) interrupted
static volatile int sink;

__attribute__((noinline)) static long spin(void) { for (;;) sink++; }

__attribute__((noinline)) static long irr(long x)
{
	if (x & 1) goto b;
a:
	sink = (int) x;
	x++;
b:
	x += 2;
	goto a;
}

long test_main(long k)
{
	if (k == 0)
		return spin();
	if (k == 1)
		return irr(k);
	return test_main(k) + 1;
}
