/* §5: a bulk copy with a huge length cannot leave the view. */
// EXPECT-FAULT: segmentation fault
#include <string.h>
#include <stdlib.h>
int main(void)
{
	char *src = malloc(16), *dst = malloc(16);
	volatile size_t n = 0xfffffff0UL;
	memcpy(dst, src, n);
	return dst[0];
}
