/* §2.4: one allocation over the tenant's limit is an out-of-memory error. */
// RUN-OPTS: --memory-limit 67108864
// EXPECT-FAULT: out of memory
#include <stdlib.h>
#include <stdio.h>
int main(void)
{
	char *p = malloc((size_t) 1 << 30);
	printf("%p\n", (void *) p);
	return p != 0;
}
