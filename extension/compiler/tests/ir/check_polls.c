/* Step 6c: sandboxed code carries no interrupt poll.  The runtime checks
 * the host's interrupt flag before every entry and after every host call
 * returns (runtime/rt_call.c, rt_hostthunk.c; runtime/tests/test_rt.c
 * "interrupt pending before the call"), and a signal that lands in the
 * module's code ends the call.  A poll would read host data through a
 * pointer, a memory operand the verifier of the final object refuses. */
// EXPORT: loop with_math
// CFLAGS: -fno-math-errno
// The module defines no interrupt slot at all (it used to be @__tmebox_intr).
// CHECK-NOT: @__tmebox_intr
// CHECK-NOT: load volatile i32
// CHECK-NOT: __tmebox_poll_slow
// CHECK-LABEL: define {{.*}} @__tmebox_export_loop(
// CHECK-NOT: load {{.*}}@__tmebox_intr
// CHECK-NOT: load volatile i32
long loop(long n, long *p)
{
	long s = 0;
	for (long i = 0; i < n; i++)
		s += p[i] * i;
	return s;
}

#include <math.h>
// CHECK-LABEL: define {{.*}} @__tmebox_export_with_math(
// CHECK: call double %{{.*}}(double
// CHECK-NOT: load volatile i32
// CHECK: ret double
double with_math(double x) { return sin(x) * 2.0; }
