/*
 * __builtin_dump_struct(&s, f, ...) calls a tenant-supplied printf-like
 * function with a format string and members; with a variadic callee this
 * is a variadic call; with printf it is the libc's printf.
 * Expected safe outcome: contained (prints the struct) or refused.
 */
// EXPECT-REJECT: pr
int pr(const char *fmt, ...);
struct s { int a; long b; const char *c; };
int main(void) { struct s v = {1, 2, "x"}; __builtin_dump_struct(&v, pr); return 0; }
