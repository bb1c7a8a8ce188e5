/* §2.4: allocating without end stops at the tenant's limit. */
// RUN-OPTS: --memory-limit 67108864
// EXPECT-FAULT: out of memory
#include <stdlib.h>
#include <string.h>
int main(void)
{
	for (;;)
	{
		char *p = malloc(1 << 20);
		memset(p, 1, 1 << 20);
	}
}
