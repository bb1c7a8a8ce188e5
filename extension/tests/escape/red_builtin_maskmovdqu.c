/*
 * __builtin_ia32_maskmovdqu: SSE2 masked store through the *implicit*
 * %rdi (DS:RDI): no memory operand to put %gs on.  An uninstrumented store
 * to the raw 64-bit pointer value.
 * Expected safe outcome: refused (x86 intrinsic).
 */
// EXPECT-REJECT: not allowed
typedef char v16 __attribute__((vector_size(16)));
int main(void) {
	v16 d = {1}, m = {-1};
	__builtin_ia32_maskmovdqu(d, m, (char *) 0x10000);
	return 0;
}
