/* Inline assembly, plain statement form: rejected. */
int f(int x)
{
	__asm__ volatile("nop");
	return x;
}
