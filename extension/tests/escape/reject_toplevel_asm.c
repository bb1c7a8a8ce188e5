/* §5: module-level assembly is rejected. */
// EXPECT-REJECT: assembly
// EXPECT-NO-LINE (module-level asm has no source location in the IR)
__asm__(".globl evil\nevil: ret");
int main(void) { return 0; }
