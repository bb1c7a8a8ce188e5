/* File-scope (module) assembly: rejected. */
__asm__(".globl escape\nescape: ret");
int f(void) { return 0; }
