/*
 * Exported ms_abi function that reads its 4 register arguments: SysV puts
 * argument 1-4 in rdi, rsi, rdx, rcx; ms_abi reads rcx, rdx, r8, r9.  Also
 * reads nothing of the host's: the result must be the tenant's arguments.
 * Expected safe outcome: refused, or correct: 40 + 2 = 42.
 */
// EXPECT-REJECT: calling convention other than C
__attribute__((ms_abi)) long f(long a, long b) { return a + b; }
// RUN: f 40 2
