/*
 * #pragma STDC FENV_ACCESS ON: clang emits llvm.experimental.constrained.*
 * intrinsics (fadd, fptosi, sqrt ...), which the code generator lowers,
 * some to libcalls.
 * Expected safe outcome: refused (intrinsics off the allow-list) or
 * contained.
 */
// EXPECT-REJECT: constrained
#pragma STDC FENV_ACCESS ON
double f(double a, double b) { return __builtin_sqrt(a) + b; }
long g(long x) { return (long) f((double) x, 1.0); }
// RUN: g 16
