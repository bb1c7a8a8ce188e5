/*
 * __builtin_alloca_with_align(n, 1<<30 bits = 128 MiB alignment): the
 * data-stack pointer arithmetic (dsp - n) & -align may wrap or jump far
 * below the data stack.
 * Expected safe outcome: a contained fault (data-stack overflow) or
 * refusal; never an access outside the view.
 */
// EXPECT-CONTAINED
int main(void) {
	char *p = __builtin_alloca_with_align(16, 1u << 30);
	p[0] = 1;
	return p[0];
}
