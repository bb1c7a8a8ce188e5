/* Execution: forged and out-of-range function pointers, a NULL call, a
 * call with the wrong type, `unreachable` and __builtin_trap all trap
 * cleanly (host trap with the ABI code); a forged data pointer stays in the
 * view (only its low 32 bits count). */
// ARGS: 0 1 2 3 4 5 6 7 8 9
// NO-NATIVE
// EXEC: test_main(0) = 42
// EXEC-NEXT: test_main(1) trap 2
// EXEC-NEXT: test_main(2) trap 2
// EXEC-NEXT: test_main(3) trap 2
// EXEC-NEXT: test_main(4) trap 2
// EXEC-NEXT: test_main(5) trap 1
// EXEC-NEXT: test_main(6) trap 5
// EXEC-NEXT: test_main(7) = 1234
// EXEC-NEXT: test_main(8) segfault at view offset 0x7ffff000
// EXEC-NEXT: test_main(9) trap 2
typedef long (*fn_t)(long);
static long good(long x) { return x + 42; }
static int other(int x, int y) { return x + y; }
fn_t volatile table[2] = {good, 0};
void *volatile ptr_other = (void *) other;
volatile long host_addr;

/* called through a noreturn-typed pointer, it returns: reaches the
 * `unreachable` after the call */
static void returns(void) {}
typedef void __attribute__((noreturn)) (*nr_t)(void);
void (*volatile nr)(void) = returns;

long test_main(long k)
{
	switch (k)
	{
		case 0: return table[0](0);
		case 1: return ((fn_t) (long) 0x401000)(1);          /* a host code address */
		case 2: return ((fn_t) (long) 1000)(2);              /* out of range */
		case 3: return table[1](3);                          /* NULL */
		case 4: return ((fn_t) ptr_other)(4);                /* wrong type */
		case 5: ((nr_t) nr)();                               /* reaches unreachable */
		case 6: __builtin_trap();
		case 7:
		{
			/* high bits are ignored: this writes view offset 0x20000 */
			volatile long *p = (volatile long *) ((1UL << 40) + 0x20000);
			volatile long *q = (volatile long *) 0x20000;
			*p = 1234;
			return *q;
		}
		case 8: return *(volatile long *) 0x7ffff000;        /* unmapped view page */
		case 9:
		{
			/* the address of real host code, forged as a function pointer */
			host_addr = (long) (void *) 0x7f0000000000;
			return ((fn_t) host_addr)(9);
		}
	}
	return -1;
}
