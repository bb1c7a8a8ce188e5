/* §2.1 / §5 (32-bit offsets): a negative index 2^31 elements below a valid
 * pointer (64-bit address: 8 GiB below the view base, in host memory)
 * wraps, with 32-bit address size, to view offset 0x10 in the NULL guard. */
// EXPECT-FAULT: segmentation fault at view offset 0x10
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static __attribute__((noinline)) int64_t
get(const int64_t *p, int64_t i)
{
	return p[i];
}

int main(void)
{
	int64_t *p = malloc(64);
	/* p + 8 * i == 0x10 - 2^34 (mod 2^64) */
	volatile int64_t i = -(int64_t) (((UINT64_C(1) << 34) - 0x10 + (uintptr_t) p) / 8);

	printf("%lld\n", (long long) get(p, i));
	return 0;
}
