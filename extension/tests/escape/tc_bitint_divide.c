/* Toolchain: _BitInt(256) division expands to __udivei4 libcalls. */
// EXPECT-REJECT: error
unsigned _BitInt(256) q(unsigned _BitInt(256) a, unsigned _BitInt(256) b) { return a / b; }
int main(void) { return (int) q(9, 3) - 3; }
