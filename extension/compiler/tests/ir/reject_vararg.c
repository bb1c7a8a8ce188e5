/* Variadic definitions (and va_start with them) are rejected. */
// CHECK-DAG: reject_vararg.c:[[@LINE+1]]: error: variadic function definitions ('sum') are not supported in sandboxed code
int sum(int n, ...)
{
	__builtin_va_list ap;
	// CHECK-DAG: reject_vararg.c:[[@LINE+1]]: error: intrinsic 'llvm.va_start.p0' is not allowed in sandboxed code
	__builtin_va_start(ap, n);
	int s = __builtin_va_arg(ap, int);
	__builtin_va_end(ap);
	return s;
}
