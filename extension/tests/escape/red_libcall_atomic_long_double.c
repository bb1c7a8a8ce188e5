/*
 * _Atomic long double: a 16-byte (x86_fp80 padded) atomic: cmpxchg16b or
 * __atomic_* libcalls, plus x87 arithmetic.
 * Expected safe outcome: refused (long double / 128-bit atomic).
 */
// EXPECT-REJECT: not supported
_Atomic long double g;
int main(void) { g += 1.0L; return (int) g; }
