/* Toolchain: _Float16 conversions are libcalls (__extendhfsf2). */
// EXPECT-REJECT: error
_Float16 h;
int main(void) { h = (_Float16) 1.5f; return (int) (float) h - 1; }
