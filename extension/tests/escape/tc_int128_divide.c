/* Toolchain: 128-bit division becomes the libcall __divti3. */
// EXPECT-REJECT: 128-bit
__int128 d(__int128 a, __int128 b) { return a / b; }
int main(void) { return (int) d(10, 3) - 3; }
