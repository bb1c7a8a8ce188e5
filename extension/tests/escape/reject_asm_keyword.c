/* §5: inline assembly with operands, spelled `__asm` (also accepted in
 * strict C11 mode), is rejected too. */
// EXPECT-REJECT: assembly
int f(int x) { int r; __asm("movl %1, %0" : "=r"(r) : "r"(x)); return r; }
int main(void) { return f(1); }
