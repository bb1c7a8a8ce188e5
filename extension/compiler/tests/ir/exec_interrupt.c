/* Execution: an interrupt pending when the call starts (flag set by the
 * harness) is seen by the poll at the export's entry, before an infinite
 * loop, an irreducible loop or unbounded recursion can start.  Loops
 * themselves carry no poll: a running loop is stopped asynchronously by
 * the runtime's signal handler (runtime/tests/test_rt.c "spin", the
 * infinite_loop escape tests, sql/containment.sql). */
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
