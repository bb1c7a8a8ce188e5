/* Step 6c: interrupt polls at function entry and on every DFS back-edge,
 * including an irreducible loop (two entries).  The flag pointer is loaded
 * once per function; the cold path calls the preserve_all stub, which makes
 * the host call. */
// EXPORT: loop irreducible
// CHECK: @__tmebox_intr = global ptr null

// CHECK-LABEL: @__tmebox_export_loop(
// entry poll
// CHECK: [[P:%tmebox.intr[0-9]*]] = load ptr, ptr @__tmebox_intr{{.*}}!invariant.load
// CHECK-NEXT: [[FL:%tmebox.flag[0-9]*]] = load volatile i32, ptr [[P]]
// CHECK-NEXT: [[C:%.*]] = icmp ne i32 [[FL]], 0
// CHECK-NEXT: br i1 [[C]], label %tmebox.interrupt{{[0-9]*}}, label {{.*}} !prof
// loop poll: the same pointer, no second load of @__tmebox_intr
// CHECK-NOT: load ptr, ptr @__tmebox_intr
// CHECK: load volatile i32, ptr [[P]]
// CHECK: tmebox.interrupt{{[0-9]*}}:
// CHECK-NEXT: call preserve_allcc void @__tmebox_poll_slow()
long loop(long n, long *p)
{
	long s = 0;
	for (long i = 0; i < n; i++)
		s += p[i] * i;
	return s;
}

// Two polls in the body of the irreducible loop function at least: entry
// and the back-edge of the cycle a <-> b.
// CHECK-LABEL: @__tmebox_export_irreducible(
// CHECK-COUNT-2: load volatile i32, ptr %tmebox.intr
// CHECK-LABEL: }
int irreducible(int x, volatile int *p)
{
	if (x & 1)
		goto b;
a:
	x = *p + x;
	if (x < 1000)
		goto b;
	return x;
b:
	x = x * 3 + *p;
	if (x > 5)
		goto a;
	return -x;
}

// the stub (emitted after the functions) makes the host call
// CHECK-LABEL: define internal preserve_allcc void @__tmebox_poll_slow()
// CHECK-NEXT: entry:
// CHECK-NEXT: [[H:%.*]] = load ptr, ptr getelementptr inbounds ([56 x ptr], ptr @__tmebox_hosttab, i64 0, i64 1)
// CHECK-NEXT: call void [[H]]()
