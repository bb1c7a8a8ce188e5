/* Toolchain: an asm label renames a function to a server symbol; exports
 * are mangled and nothing is interposed, so this must not reach the
 * backend's palloc. */
// EXPECT-CONTAINED
int my(int x) __asm__("palloc");
int my(int x) { return x + 1; }
int main(void) { return my(-1); }
