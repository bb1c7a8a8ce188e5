/* Toolchain: an alias names another symbol. */
// EXPECT-REJECT: alias
int real(void) { return 3; }
int fake(void) __attribute__((alias("real")));
int main(void) { return fake() - 3; }
