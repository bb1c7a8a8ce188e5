/* Step 6b: indirect calls go through __tmebox_fntab with the bound check
 * and the type check on an index LLVM cannot reason about (cc_opaque);
 * function addresses become indices. */
// EXPORT: pick call
typedef int (*fn_t)(int);
static int f1(int x) { return x + 1; }
static int f2(int x) { return x * 2; }
static long g1(long x) { return x; }

// CHECK: @__tmebox_fntab = internal constant [4 x { ptr, i64 }] [{ ptr, i64 } zeroinitializer, { ptr, i64 } { ptr @f1, i64 [[TI:[0-9]+]] }, { ptr, i64 } { ptr @f2, i64 [[TI]] }, { ptr, i64 } { ptr @g1, i64 [[TL:[0-9]+]] }]

// CHECK-LABEL: @__tmebox_export_pick(
// CHECK: select i1 {{.*}}, ptr inttoptr (i64 {{[12]}} to ptr), ptr inttoptr (i64 {{[12]}} to ptr)
fn_t pick(int k) { return k ? f1 : f2; }
void *volatile sink;

// CHECK-LABEL: @__tmebox_export_call(
// CHECK: [[RAW:%.*]] = ptrtoint ptr %0 to i64
// CHECK-NEXT: [[IDX:%tmebox.fnidx[0-9]*]] = call i64 asm "", "=r,0"(i64 [[RAW]])
// CHECK: [[M1:%.*]] = sub i64 [[IDX]], 1
// CHECK: icmp uge i64 [[M1]], 3
// CHECK: br i1 {{.*}}, label %tmebox.trap
// CHECK: [[E:%.*]] = getelementptr [4 x { ptr, i64 }], ptr @__tmebox_fntab, i64 0, i64 [[IDX]], i32 1
// CHECK-NEXT: [[TID:%.*]] = load i64, ptr [[E]]
// CHECK: icmp ne i64 [[TID]], [[TI]]
// CHECK: br i1 {{.*}}, label %tmebox.trap
// CHECK: [[E2:%.*]] = getelementptr [4 x { ptr, i64 }], ptr @__tmebox_fntab, i64 0, i64 [[IDX]], i32 0
// CHECK-NEXT: [[FN:%tmebox.fn[0-9]*]] = load ptr, ptr [[E2]]
// CHECK: call i32 [[FN]](i32
// CHECK: tmebox.trap:
// CHECK-NEXT: load ptr, ptr @__tmebox_hosttab
// CHECK-NEXT: call void %{{.*}}(i32 2)
int call(fn_t f, int x) { sink = (void *) g1; return f(x); }
