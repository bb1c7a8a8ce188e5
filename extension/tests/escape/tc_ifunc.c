/* Toolchain: an ifunc resolver runs at load time in the host. */
// EXPECT-REJECT: error
static int impl(void) { return 0; }
static void *resolve(void) { return (void *) impl; }
int f(void) __attribute__((ifunc("resolve")));
int main(void) { return f(); }
