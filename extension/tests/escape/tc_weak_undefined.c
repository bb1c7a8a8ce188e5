/* Toolchain: a weak undefined function resolves to 0 or to whatever the
 * linker finds. */
// EXPECT-REJECT: error
__attribute__((weak)) int server_fn(void);
int main(void) { return server_fn ? server_fn() : 7; }
