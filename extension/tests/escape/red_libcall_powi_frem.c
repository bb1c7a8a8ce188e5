/*
 * __builtin_powi and frem (__builtin_fmod lowered to frem without errno):
 * the code generator would call __powidf2/fmod; the sandbox rewrites them
 * into host math calls.
 * Expected safe outcome: contained, correct: 8^1 ... 2^3 + fmod(20, 7) = 14.
 */
// EXPECT-OUTPUT: 14
#pragma float_control(precise, off)
double f(double x, int n) { return __builtin_powi(x, n) + __builtin_fmod(x * 10, 7.0); }
long g(long n) { return (long) f(2.0, (int) n); }
// RUN: g 3
