/* §2.1 / §5 (32-bit offsets): base + index * scale where the 64-bit sum
 * lies 8 GiB past the view.  tmebox-cc lets LLVM fold the whole sum into
 * one %gs addressing mode and gives it 32-bit address size, so the CPU
 * wraps it to view offset 0x8 (the NULL guard): contained.  With 64-bit
 * address size the same instruction would read 8 GiB past the view base. */
// EXPECT-FAULT: segmentation fault at view offset 0x8
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static __attribute__((noinline)) int
get(const int *p, int64_t i)
{
	return p[i];
}

int main(void)
{
	int *p = malloc(64);
	volatile int64_t i = (int64_t) (((UINT64_C(1) << 33) + 8 - (uintptr_t) p) / 4);

	printf("%d\n", get(p, i));
	return 0;
}
