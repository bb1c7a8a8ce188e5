/* Computed goto (indirectbr / blockaddress) is rejected.  clang's shared
 * indirectbr block has no line: it is reported at the function. */
// CHECK-DAG: reject_indirectbr.c:[[@LINE+1]]: error: computed goto (indirectbr) is not allowed in sandboxed code
int f(int i)
{
	static void *labels[] = {&&a, &&b};
	// The label addresses live in a static table: reported at its first use.
	// CHECK-DAG: reject_indirectbr.c:[[@LINE+1]]: error: taking the address of a label (blockaddress) is not allowed in sandboxed code
	goto *labels[i & 1];
a:
	return 1;
b:
	return 2;
}
