/* Step 6b: an indirect call becomes a switch over the index (which LLVM
 * cannot reason about: cc_opaque) with a direct call for each function of
 * the call's own type; any other index, NULL (0) included, traps.  No
 * table, no indirect call: function addresses are never values. */
// EXPORT: pick call
typedef int (*fn_t)(int);
static int f1(int x) { return x + 1; }
static int f2(int x) { return x * 2; }
static long g1(long x) { return x; }

// CHECK-NOT: @__tmebox_fntab
// CHECK-LABEL: @__tmebox_export_pick(
// CHECK: select i1 {{.*}}, ptr inttoptr (i64 {{[12]}} to ptr), ptr inttoptr (i64 {{[12]}} to ptr)
fn_t pick(int k) { return k ? f1 : f2; }
void *volatile sink;

// CHECK-LABEL: @__tmebox_export_call(
// CHECK: [[RAW:%.*]] = ptrtoint ptr %0 to i64
// CHECK-NEXT: [[IDX:%tmebox.fnidx[0-9]*]] = call i64 asm "", "=r,0"(i64 [[RAW]])
// CHECK-NEXT: switch i64 [[IDX]], label %tmebox.badcall [
// CHECK-NEXT: i64 {{[12]}}, label %tmebox.fncall
// CHECK-NEXT: i64 {{[12]}}, label %tmebox.fncall
// CHECK-NEXT: ]
// CHECK-DAG: call i32 @f{{[12]}}(i32
// CHECK-DAG: call i32 @f{{[12]}}(i32
// CHECK-NOT: call i32 %
// CHECK: tmebox.badcall:
// CHECK-NEXT: load ptr, ptr @__tmebox_hosttab
// CHECK-NEXT: call void %{{.*}}(i32 2)
int call(fn_t f, int x) { sink = (void *) g1; return f(x); }
