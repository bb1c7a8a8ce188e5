/* §2.1: running far off the end of a heap block reaches the unmapped rest
 * of the view, not host memory. */
// EXPECT-FAULT: segmentation fault at view offset
#include <stdlib.h>
#include <string.h>
int main(void)
{
	char *p = malloc(64);
	for (size_t i = 0;; i += 4096)
		p[i] = 'x';
	return 0;
}
