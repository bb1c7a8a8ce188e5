/* #pragma comment(lib) names a linker input: lld would open any file on
 * the server (and quote its first line in an error). */
#pragma comment(lib, "/etc/passwd")
int f(void) { return 0; }
