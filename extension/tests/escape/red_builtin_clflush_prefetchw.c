/*
 * __builtin_ia32_clflush(p) and __builtin_prefetch(p, 1, 3): memory
 * operands on a raw pointer (clflush is a cache side channel on host
 * memory; a prefetch operand without %gs would be a raw address in the
 * machine code).  llvm.prefetch is documented as dropped.
 * Expected safe outcome: refused (clflush intrinsic).
 */
// EXPECT-REJECT: not allowed
int g[16];
int main(void) {
	__builtin_prefetch((void *) 0x7fff00001000, 1, 3);
	__builtin_ia32_clflush(g);
	return 0;
}
