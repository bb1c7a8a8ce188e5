/*
 * __builtin_assume(i < 4) before a function-pointer table call: LLVM may
 * drop the index check of the table dispatch using the assumption, and
 * the tenant then breaks the assumption (UB).
 * Expected safe outcome: trap (bad call), never a jump outside the table.
 */
// EXPECT-FAULT: trap
static int a(void) { return 1; }
static int b(void) { return 2; }
int (*tab[2])(void) = {a, b};
int call(int i) {
	__builtin_assume(i >= 0 && i < 2);
	int (*volatile f)(void) = (int (*)(void)) (long) (i * 1000 + 77);
	__builtin_assume((long) f > 0 && (long) f < 3);
	return f();
}
// RUN: call 5
