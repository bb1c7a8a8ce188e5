/*
 * _Complex double multiply/divide: clang calls __muldc3/__divdc3 (compiler
 * runtime) which the module does not have.
 * Expected safe outcome: refused with a message naming the call, or the
 * sandbox libc provides them: returns 2.
 */
// EXPECT-REJECT: __muldc3
double f(double a) { _Complex double x = a + 1.0i, y = 1.0 - 1.0i; _Complex double z = x * y / y; return __real__ z; }
// RUN: f 2
