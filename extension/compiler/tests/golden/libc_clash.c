/* A program that defines a libc function: the libc link fails with a
 * message that names no server path (it used to quote the libc's). */
int puts(const char *s) { (void) s; return 0; }
int f(int x) { return x; }
