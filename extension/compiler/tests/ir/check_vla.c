/* Step 3d: VLAs get the same check with the run-time size (count bounded
 * first, so the multiplication cannot wrap); stacksave/stackrestore become
 * a load and a store of the data-stack pointer. */
// EXPORT: vla
__attribute__((noinline)) static void touch(int *p, int n) { for (int i = 0; i < n; i++) p[i] = i; }

// CHECK-LABEL: @__tmebox_export_vla(
// CHECK: [[OLD:%tmebox.dsp[0-9]*]] = load i64
// the return restores the pointer found at entry
// CHECK: store i64 [[OLD]], ptr addrspace(256)
// CHECK-NEXT: ret
// stacksave
// CHECK: [[SAVE:%tmebox.dsp[0-9]*]] = load i64, ptr addrspace(256)
// CHECK-NEXT: [[SAVEP:%.*]] = inttoptr i64 [[SAVE]] to ptr
// the VLA
// CHECK: [[CUR:%tmebox.dsp[0-9]*]] = load i64, ptr addrspace(256)
// CHECK: icmp ugt i64 [[CNT:%[0-9]+]], 1048576
// CHECK: [[BYTES:%.*]] = mul i64 [[CNT]], 4
// CHECK: sub i64 [[CUR]], 65536
// CHECK: br i1 {{.*}}, label %tmebox.trap
// CHECK: sub i64 [[CUR]], [[BYTES]]
// CHECK: %tmebox.frame{{[0-9]*}} = and i64 {{.*}}, -16
// CHECK: store i64 %tmebox.frame
// CHECK: %tmebox.vla = inttoptr i64 %tmebox.frame
// stackrestore: the saved value goes back to the slot
// CHECK: [[R:%.*]] = ptrtoint ptr [[SAVEP]] to i64
// CHECK: store i64 [[R]], ptr addrspace(256)
int vla(int n, int m)
{
	int s = 0;
	for (int j = 0; j < m; j++)
	{
		int a[n];
		touch(a, n);
		s += a[n - 1];
	}
	return s;
}
// CHECK-NOT: = alloca
// CHECK-NOT: @llvm.stack
