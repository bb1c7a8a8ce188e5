/*
 * A function with thousands of simultaneously live values (register
 * pressure) gets a large native frame of spill slots; the native stack is
 * only 1 MiB-ish and its guard must be probed ("probe-stack").  Combined
 * with deep recursion it must hit the guard, never skip it.
 * Expected safe outcome: contained (stack overflow fault or result).
 */
// EXPECT-CONTAINED
#define V(n) volatile long v##n = x * n;
#define S(n) + v##n
#define R10(M, b) M(b##0) M(b##1) M(b##2) M(b##3) M(b##4) M(b##5) M(b##6) M(b##7) M(b##8) M(b##9)
#define R100(M, b) R10(M, b##0) R10(M, b##1) R10(M, b##2) R10(M, b##3) R10(M, b##4) R10(M, b##5) R10(M, b##6) R10(M, b##7) R10(M, b##8) R10(M, b##9)
long rec(long x) {
	R100(V, 1) R100(V, 2) R100(V, 3)
	if (x <= 0) return 0;
	return rec(x - 1) R100(S, 1) R100(S, 2) R100(S, 3);
}
// RUN: rec 100000
