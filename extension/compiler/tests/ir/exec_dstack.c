/* Execution: unbounded recursion with address-taken locals exhausts the
 * data stack and traps with DSTACK_OVERFLOW (3); a huge VLA too; a normal
 * call afterwards works (the harness resets the data-stack pointer). */
// ARGS: 0 1 2 3
// NO-NATIVE
// EXEC: test_main(0) trap 3
// EXEC-NEXT: test_main(1) trap 3
// EXEC-NEXT: test_main(2) trap 3
// EXEC-NEXT: test_main(3) = 4950
__attribute__((noinline)) static long deep(long n, volatile char *prev)
{
	volatile char buf[4096];
	buf[0] = (char) n;
	buf[1] = prev ? prev[0] : 0;
	return deep(n + 1, buf) + buf[1];
}

__attribute__((noinline)) static long vla(long n)
{
	volatile char a[n];
	a[0] = 1;
	a[n - 1] = 2;
	return a[0] + a[n - 1];
}

long test_main(long k)
{
	volatile long acc[100];
	long s = 0;
	switch (k)
	{
		case 0: return deep(0, 0);
		case 1: return vla(2L << 20);          /* 2 MiB > data stack */
		case 2: return vla(-16);               /* wraps: huge size */
	}
	for (int i = 0; i < 100; i++) acc[i] = i;
	for (int i = 0; i < 100; i++) s += acc[i];
	return s;
}
