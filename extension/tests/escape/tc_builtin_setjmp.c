/* Toolchain: __builtin_setjmp/longjmp keep native stack addresses in
 * sandbox memory. */
// EXPECT-REJECT: error
static void *buf[5];
int main(void) { if (__builtin_setjmp(buf)) return 1; __builtin_longjmp(buf, 1); }
