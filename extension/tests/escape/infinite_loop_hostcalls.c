/* §2.4: an infinite loop that spends nearly all its time in host calls
 * (1 MiB memsets and math run by the host, outside the module's code,
 * where the timer signal cannot stop it) is interrupted by the poll that
 * follows every host call. */
// RUN-OPTS: --timeout 300
// EXPECT-FAULT: interrupted
#include <math.h>
#include <stdlib.h>
#include <string.h>
int main(void)
{
	char *p = malloc(1 << 20);
	volatile double x = 0.5;

	if (p == NULL)
		return 1;
	for (;;)
	{
		memset(p, (int) x, 1 << 20);
		x = sin(x) + cos(x);
	}
}
