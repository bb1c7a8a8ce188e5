/* §2.5: scribbling over the sandbox allocator's metadata only hurts the
 * sandbox: the host keeps no allocator state in the view. The run ends
 * either normally or with a contained fault; the runner checks the process
 * survived (exit 0 or 3, never a signal). */
// EXPECT-CONTAINED
#include <stdlib.h>
#include <string.h>
int main(void)
{
	char *a = malloc(32), *b = malloc(32);
	memset(a - 64, 0xff, 256);
	free(b);
	free(a);
	for (int i = 0; i < 100; i++)
		free(malloc((size_t) i * 100));
	return 0;
}
