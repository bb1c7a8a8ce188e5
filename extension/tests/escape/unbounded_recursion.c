/* §2.3: unbounded recursion with an address-taken local exhausts the data
 * stack (in the view): a clean stack overflow error. */
// EXPECT-FAULT: stack overflow
static volatile int stop = -1;
static int __attribute__((noinline)) down(int n)
{
	volatile int local = n;
	if (n == stop)
		return 0;
	return down(n + 1) + local;
}
int main(void) { return down(0); }
