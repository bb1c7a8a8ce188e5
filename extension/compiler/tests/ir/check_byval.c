/* Step 3a: byval arguments are copied into a data-stack slot by the
 * caller; no byval remains (x86-64 would pass them on the native stack). */
// EXPORT: caller
struct big { long v[16]; };

__attribute__((noinline)) static long callee(struct big b)
{
	b.v[3] += 1;
	return b.v[3] + b.v[15];
}

// CHECK-LABEL: @__tmebox_export_caller(
// CHECK: tmebox.dsp
// CHECK: %tmebox.fp = inttoptr i64 %tmebox.frame to ptr
// The copy goes through host memmove (128 bytes) into the frame
// CHECK: call void %{{.*}}(ptr %tmebox.fp, ptr {{.*}}, i64 128)
// CHECK: call {{.*}} @callee(ptr noundef {{.*}}%tmebox.fp)
long caller(struct big *p) { return callee(*p) + callee(*p); }
// CHECK: define internal {{.*}} @callee(ptr
// CHECK-NOT: byval(
