/* Step 6e: a switch's condition goes through the opaque empty asm, so the
 * range check of a jump table cannot be folded away, even when LLVM
 * believes it knows the range (a bool load carries !range [0, 2)); the
 * default a __builtin_unreachable() left behind is a trap. */
// EXPORT: dense fromflags
__attribute__((noinline)) static int side(int x) { return x * 3 + 1; }

// CHECK-LABEL: @__tmebox_export_dense(
// CHECK: [[C:%tmebox.case[0-9]*]] = call i32 asm "", "=r,0"(i32 %0)
// CHECK-NEXT: switch i32 [[C]]
int dense(int x)
{
	switch (x)
	{
		case 0: return side(1);
		case 1: return side(x + 7) ^ 5;
		case 2: return side(x) - 9;
		case 3: return side(x * x);
		case 4: return side(2) << 2;
		case 5: return side(x) / 3;
		default: return -1;
	}
}

static unsigned char raw[4];
// CHECK-LABEL: @__tmebox_export_fromflags(
// CHECK: load i8, ptr addrspace(256) {{.*}} !range
// CHECK: call i{{[0-9]+}} asm "", "=r,0"
// CHECK: switch i{{[0-9]+}}
// CHECK: load ptr, ptr @__tmebox_hosttab
// CHECK-NEXT: call void %{{.*}}(i32 1)
// CHECK-NEXT: call void @llvm.trap()
// CHECK-NEXT: unreachable
int fromflags(int k)
{
	const _Bool *b = (const _Bool *) raw;
	raw[k & 3] = (unsigned char) k;
	switch (b[0] * 4 + b[1] * 2 + b[2])
	{
		case 0: return side(10);
		case 1: return side(11) + 1;
		case 2: return side(12) * 2;
		case 3: return side(13) - 3;
		case 4: return side(14) ^ 4;
		case 5: return side(15) << 1;
		case 6: return side(16) / 2;
		case 7: return side(17) % 7;
		default: __builtin_unreachable();
	}
}
