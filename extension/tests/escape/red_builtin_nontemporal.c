/*
 * __builtin_nontemporal_store/load: stores with !nontemporal metadata are
 * lowered to movnti / movntps; the memory operand must still carry %gs and
 * 32-bit address size.  Stores at the last bytes of the view must fault.
 * Expected safe outcome: contained fault at the end of the view.
 */
// EXPECT-FAULT: segmentation fault
int main(void) {
	long *p = (long *) 0xFFFFFFF8UL;
	__builtin_nontemporal_store(0x4141414141414141L, p);
	return (int) __builtin_nontemporal_load(p);
}
