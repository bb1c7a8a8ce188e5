/* A select between two floating-point constants (x ? 1.5 : 2.5) used to
 * become a load from a constant-pool pair indexed by the condition,
 * (%rcx,%rax,8): a memory operand the verifier refuses, so this ordinary
 * program did not compile.  Now the select is made on the bits. */
// EXPECT-OUTPUT: fpsel 15.25 -7.50
#include <stdio.h>
__attribute__((noinline)) static double pick(int x) { return x ? 1.5 : 2.5; }
__attribute__((noinline)) static float pickf(int x) { return x > 3 ? 0.75f : -2.25f; }
int main(void)
{
	double s = 0;
	float t = 0;
	for (int i = 0; i < 10; i++)
		s += pick(i & 1) * (i < 5 ? 1.0 : 0.5);
	for (int i = 0; i < 6; i++)
		t += pickf(i);
	printf("fpsel %.2f %.2f\n", s, (double) t);
	return 0;
}
