/* §2.6: __has_include probes learn nothing: every file outside the
 * sandbox headers looks absent. */
// EXPECT-OUTPUT: probes 0 0 1
#include <stdio.h>
int main(void)
{
#if __has_include("/etc/passwd")
	int a = 1;
#else
	int a = 0;
#endif
#if __has_include(<../../../../etc/hostname>)
	int b = 1;
#else
	int b = 0;
#endif
#if __has_include(<stdio.h>)
	int c = 1;
#else
	int c = 0;
#endif
	printf("probes %d %d %d\n", a, b, c);
	return 0;
}
