/* Step 6b: an indirect call becomes a direct call of its type's dispatcher,
 * an internal function that switches over the index (which LLVM cannot
 * reason about: cc_opaque) with a direct call for each function of
 * exactly that type; any other index, NULL (0) included, traps.  No
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
// CHECK-NEXT: call i32 @__tmebox_dispatch.[[T:[0-9]+]](i64 [[RAW]], i32
// CHECK-NOT: call i32 %
// CHECK: define internal i32 @__tmebox_dispatch.[[T]](i64 %0, i32 %1)
// CHECK-NEXT: entry:
// CHECK-NEXT: [[IDX:%tmebox.fnidx[0-9]*]] = call i64 asm "", "=r,0"(i64 %0)
// CHECK-NEXT: switch i64 [[IDX]], label %tmebox.badcall [
// CHECK-NEXT: i64 {{[12]}}, label %tmebox.fncall
// CHECK-NEXT: i64 {{[12]}}, label %tmebox.fncall
// CHECK-NEXT: ]
// CHECK: tmebox.badcall:
// CHECK-NEXT: load ptr, ptr @__tmebox_hosttab
// CHECK-NEXT: call void %{{.*}}(i32 2)
// CHECK-NOT: @g1
// CHECK-DAG: call {{.*}}i32 @f{{[12]}}(i32 noundef %1)
// CHECK-DAG: call {{.*}}i32 @f{{[12]}}(i32 noundef %1)
// CHECK-NOT: call i32 %
// CHECK: attributes
int call(fn_t f, int x) { sink = (void *) g1; return f(x); }
