/* Toolchain: frem lowers to the libcall fmod: it must resolve inside the
 * sandbox (the libc) or be refused, never reach the host's fmod. */
// EXPECT-OUTPUT: 1
#include <stdio.h>
volatile double a = 7.0, b = 3.0;
int main(void) { printf("%d\n", (int) __builtin_fmod(a, b)); return 0; }
