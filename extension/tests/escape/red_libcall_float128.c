/*
 * __float128 arithmetic: __addtf3/__multf3/__fixtfsi libcalls.
 * Expected safe outcome: refused (long double / fp128).
 */
// EXPECT-REJECT: not supported
__float128 q = 2;
int main(void) { q = q * q + 1; return (int) q; }
