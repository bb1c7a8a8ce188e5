/* clang emits IR for an interrupt handler that LLVM's verifier refuses;
 * tmebox-cc must end with a diagnostic, not an abort, and remove its
 * temporary directory. */
struct frame;
__attribute__((interrupt)) void h(struct frame *f) { (void) f; }
int f(void) { return 0; }
