/* Intrinsics off the allow-list are rejected with their name. */
void *f(void)
{
	// CHECK-DAG: reject_intrinsic.c:[[@LINE+1]]: error: intrinsic 'llvm.returnaddress' is not allowed in sandboxed code
	void *r = __builtin_return_address(0);
	// CHECK-DAG: reject_intrinsic.c:[[@LINE+1]]: error: intrinsic 'llvm.frameaddress.p0' is not allowed in sandboxed code
	void *fr = __builtin_frame_address(0);
	// CHECK-DAG: reject_intrinsic.c:[[@LINE+1]]: error: intrinsic 'llvm.x86.rdtsc' is not allowed in sandboxed code
	unsigned long long t = __builtin_ia32_rdtsc();
	return (char *) r + (long) fr + t;
}
