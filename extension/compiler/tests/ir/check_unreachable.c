/* Step 6a: a host trap call before every `unreachable` (and for
 * __builtin_trap), so control never falls through; and (step 6d) a ud2
 * (llvm.trap) right before the `unreachable`, so the machine code never
 * falls off a call that does not return into the next function. */
// EXPORT: u t
__attribute__((noreturn, noinline)) static void die(volatile int *p)
{
	while (*p)
		;
	/* returns although noreturn: UB that ends in `unreachable` */
}

// CHECK-LABEL: @__tmebox_export_u(
// CHECK: call {{.*}}@die(
// CHECK-NEXT: [[F:%.*]] = load ptr, ptr @__tmebox_hosttab, align 8{{.*}}
// CHECK-NEXT: call void [[F]](i32 1)
// CHECK-NEXT: call void @llvm.trap()
// CHECK-NEXT: unreachable
int u(int x, volatile int *p)
{
	if (x > 10)
		die(p);
	return x;
}
// CHECK-LABEL: @__tmebox_export_t(
// CHECK: [[F:%.*]] = load ptr, ptr @__tmebox_hosttab, align 8{{.*}}
// CHECK-NEXT: call void [[F]](i32 5)
// CHECK-NEXT: call void @llvm.trap()
// CHECK-NEXT: unreachable
int t(int x)
{
	if (x == 3)
		__builtin_trap();
	return x;
}
