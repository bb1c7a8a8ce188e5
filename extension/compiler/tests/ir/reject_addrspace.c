/* Pointers in a non-zero address space (e.g. %gs / %fs) are rejected. */
int f(int __attribute__((address_space(256))) *p)
{
	// CHECK: reject_addrspace.c:[[@LINE+1]]: error: pointers in address space 256 are not allowed in sandboxed code
	return *p;
}
