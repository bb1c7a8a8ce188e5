/* Toolchain: a constructor with a priority. */
// EXPECT-REJECT: constructors
__attribute__((constructor(101))) static void c(void) { }
int main(void) { return 0; }
