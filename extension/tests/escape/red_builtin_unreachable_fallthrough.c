/*
 * A function whose only path is __builtin_unreachable(): code generation
 * emits no ret, so control would fall into the next function in .text.
 * Expected safe outcome: a contained trap.
 */
// EXPECT-CONTAINED
__attribute__((noinline)) int f(int x) { if (x == 12345) return 1; __builtin_unreachable(); }
int g(int x) { return f(x) + 1; }
// RUN: g 0
