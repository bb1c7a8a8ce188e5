/* Inline assembly (statement and module level) is rejected with its line. */
// CHECK-DAG: reject_asm.c:[[@LINE+3]]: error: inline assembly is not allowed in sandboxed code
int f(int x)
{
	__asm__ volatile("" : "+r"(x));
	return x;
}
__asm__(".globl evil\nevil: ret");
// CHECK-DAG: error: module-level inline assembly is not allowed in sandboxed code
