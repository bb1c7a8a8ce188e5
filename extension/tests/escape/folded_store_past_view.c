/* §2.1 / §5 (32-bit offsets): a store through base + index * 8 + 24 (one
 * folded addressing mode) whose 64-bit address is 4 GiB past the view
 * wraps, with 32-bit address size, to view offset 0x18 (NULL guard): the
 * write lands nowhere outside the view. */
// EXPECT-FAULT: segmentation fault at view offset 0x18
#include <stdint.h>
#include <stdlib.h>

static __attribute__((noinline)) void
put(int64_t *p, int64_t i, int64_t v)
{
	p[i + 3] = v;
}

int main(void)
{
	int64_t *p = malloc(64);	/* 16-byte aligned: the division is exact */
	volatile int64_t i = (int64_t) (((UINT64_C(1) << 33) - (uintptr_t) p) / 8);

	put(p, i, 0x4141414141414141LL);
	return 0;
}
