/* Step 6c: interrupt polls only where the runtime's asynchronous
 * interruption cannot act: at the entry of exported functions and after
 * every host call that returns.  Loops carry no poll (a signal that lands
 * in the module's code ends the call), internal functions none at entry.
 * The flag pointer is loaded once per function; the cold path calls the
 * preserve_all stub, which makes the host call. */
// EXPORT: loop with_math
// CFLAGS: -fno-math-errno
// CHECK: @__tmebox_intr = global ptr null

// CHECK-LABEL: define {{.*}} @__tmebox_export_loop(
// entry poll
// CHECK: [[P:%tmebox.intr[0-9]*]] = load ptr, ptr @__tmebox_intr{{.*}}!invariant.load
// CHECK-NEXT: [[FL:%tmebox.flag[0-9]*]] = load volatile i32, ptr [[P]]
// CHECK-NEXT: [[C:%.*]] = icmp ne i32 [[FL]], 0
// CHECK-NEXT: br i1 [[C]], label %tmebox.interrupt{{[0-9]*}}, label {{.*}} !prof
// no other poll in the function: the loop has none
// CHECK-NOT: load volatile i32
// CHECK: tmebox.interrupt{{[0-9]*}}:
// CHECK-NEXT: call preserve_allcc void @__tmebox_poll_slow()
// CHECK-NOT: load volatile i32
long loop(long n, long *p)
{
	long s = 0;
	for (long i = 0; i < n; i++)
		s += p[i] * i;
	return s;
}

// (collatz: checked below, where LLVM emits it)
__attribute__((noinline)) static long collatz(long x)
{
	long steps = 0;

	while (x > 1)
	{
		x = (x & 1) ? x * 3 + 1 : x / 2;
		steps++;
	}
	return steps;
}
// A host call (sin) in a loop: the entry poll, then one right after every
// call of sin (the loop may be unrolled: each copy of the call has one).
// CHECK-LABEL: define {{.*}} @__tmebox_export_with_math(
// CHECK: load volatile i32
// CHECK: [[H:%.*]] = load ptr, ptr getelementptr inbounds ([{{[0-9]+}} x ptr], ptr @__tmebox_hosttab, i64 0, i64 16)
// CHECK-NEXT: call {{.*}}double [[H]](
// CHECK-NEXT: load volatile i32
double with_math(double x, long n)
{
	for (long i = 0; i < n; i++)
		x = __builtin_sin(x) + (double) collatz(i);
	return x;
}

// An internal function with a loop and no host call: no poll at all.
// CHECK-LABEL: define internal {{.*}} @collatz(
// CHECK-NOT: __tmebox_intr
// CHECK-NOT: load volatile i32

// the stub (emitted after the functions) makes the host call
// CHECK-LABEL: define internal preserve_allcc void @__tmebox_poll_slow()
// CHECK-NEXT: entry:
// CHECK-NEXT: [[H:%.*]] = load ptr, ptr getelementptr inbounds ([56 x ptr], ptr @__tmebox_hosttab, i64 0, i64 1)
// CHECK-NEXT: call void [[H]]()
