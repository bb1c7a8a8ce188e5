/* Step 5: every load, store, atomic and vector access of sandboxed code is
 * %gs-relative.  The IR keeps the 64-bit pointer value; the 32-bit address
 * size is given to every %gs operand of the machine code (cc_mcode.h,
 * tests/mcode/). */
// EXPORT: mem
#include <stdatomic.h>

// CHECK-LABEL: define {{.*}} @__tmebox_export_mem(
long mem(int *p, long *q, _Atomic long *a, float *v, int n)
{
	// CHECK: [[T:%.*]] = ptrtoint ptr %0 to i64
	// CHECK-NEXT: [[G:%.*]] = inttoptr i64 [[T]] to ptr addrspace(256)
	// CHECK-NEXT: load i32, ptr addrspace(256) [[G]]
	long r = p[0];
	// CHECK: store i64 {{.*}}, ptr addrspace(256)
	q[1] = r + 1;
	// CHECK: atomicrmw add ptr addrspace(256)
	r += atomic_fetch_add(a, 5);
	long expect = 7;
	// CHECK: cmpxchg ptr addrspace(256)
	atomic_compare_exchange_strong(a, &expect, 9);
	// CHECK: load atomic i64, ptr addrspace(256)
	r += atomic_load(a);
	// CHECK: store atomic i64 {{.*}}, ptr addrspace(256)
	atomic_store(a, r);
	// CHECK: load <4 x float>, ptr addrspace(256)
	// CHECK: store <4 x float> {{.*}}, ptr addrspace(256)
	for (int i = 0; i < n; i++)
		v[i] = v[i] * 2.0f;
	return r + expect;
}
// No access through a plain pointer may remain in any function.
// CHECK-NOT: {{(load|store|atomicrmw|cmpxchg)}} {{.*}}, ptr %{{[0-9]}}
