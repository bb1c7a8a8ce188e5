/* Toolchain: #pragma comment(lib) would make the linker open any file on
 * the server (an archive with native code, a linker script). */
// EXPECT-REJECT: #pragma comment(lib
// EXPECT-NO-LINE
#pragma comment(lib, "/usr/lib/gcc/x86_64-linux-gnu/12/libatomic.a")
int main(void) { return 0; }
