/* Toolchain: an interrupt handler is IR LLVM aborts on; the compile must
 * end in a diagnostic, never an abort with the source left behind. */
// EXPECT-REJECT: is an interrupt handler
// EXPECT-NO-LINE
struct frame;
__attribute__((interrupt)) void h(struct frame *f) { (void) f; }
int main(void) { return 0; }
