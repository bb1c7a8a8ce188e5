/*
 * #pragma comment(linker, "...") asks clang to pass options to the linker
 * (.linker-options / llvm.linker.options).  On ELF clang ignores it with a
 * warning; a sandbox must at least never forward it.
 * Expected safe outcome: the option never reaches ld.lld; compiling and
 * running is contained (or it is refused).
 */
// EXPECT-CONTAINED
#pragma comment(linker, "-T/etc/passwd --dynamic-linker=/tmp/x")
int main(void) { return 0; }
