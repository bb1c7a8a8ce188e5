/* Step 3d: allocas move to the data stack with an overflow check in the
 * prologue and the data-stack pointer restored before every return. */
// EXPORT: frame
void use(int *p, char *q);

__attribute__((noinline)) static void fill(int *p, char *q) { p[3] = 1; q[5] = 2; }

// CHECK-LABEL: @__tmebox_export_frame(
// CHECK: [[OLD:%tmebox.dsp[0-9]*]] = load i64, ptr addrspace(256) {{.*}}
// CHECK: [[D:%.*]] = sub i64 [[OLD]], 65536
// CHECK-DAG: icmp ult i64 [[D]], [[FRAME:[0-9]+]]
// CHECK-DAG: icmp ugt i64 [[D]], 1048576
// CHECK: br i1 {{.*}}, label %tmebox.trap, label
// CHECK: [[NEW:%.*]] = sub i64 [[OLD]], [[FRAME]]
// CHECK: %tmebox.frame = and i64 [[NEW]], -16
// CHECK: store i64 %tmebox.frame, ptr addrspace(256)
// (O2 merges the returns into one; every ret must follow the restore)
// CHECK-NOT: ret
// CHECK: store i64 [[OLD]], ptr addrspace(256)
// CHECK-NEXT: ret i32
// CHECK-NOT: ret
// CHECK: tmebox.trap:
// CHECK: load ptr, ptr @__tmebox_hosttab
// CHECK-NEXT: call void %{{.*}}(i32 3)
// CHECK-NEXT: call void @llvm.trap()
// CHECK-NEXT: unreachable
int frame(int k)
{
	int a[40];
	char b[300];
	fill(a, b);
	if (k > 3)
		return a[3] + k;
	fill(a, b);
	return b[5] + a[k & 7];
}
// CHECK-NOT: = alloca
