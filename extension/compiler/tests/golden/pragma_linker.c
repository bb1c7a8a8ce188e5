/* #pragma comment(linker) passes options to the linker. */
#pragma comment(linker, "-L/etc --library=passwd")
int f(void) { return 0; }
