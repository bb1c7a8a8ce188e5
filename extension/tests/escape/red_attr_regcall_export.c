/*
 * Exported __regcall function (x86-64: arguments in eax, ecx, edx, edi,
 * esi, r8...; r12-r15 and xmm8-15 callee-saved only).
 * Expected safe outcome: refused, or called with the right convention:
 * returns 42.
 */
// EXPECT-REJECT: calling convention other than C
__attribute__((regcall)) long g(long a, long b) { return a + b; }
long call_g(void) { return g(40, 2); }
// RUN: call_g
