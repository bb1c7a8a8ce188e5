/*
 * x86 `interrupt` attribute: the function returns with iretq and reads the
 * interrupt frame from the native stack (a byval pointer into the caller's
 * frame).  Must never reach the code generator.
 * Expected safe outcome: refused with a clear message (not an internal
 * error of the machine-code check).
 */
// EXPECT-REJECT: interrupt
struct frame { unsigned long ip, cs, flags, sp, ss; };
__attribute__((interrupt)) void isr(struct frame *f) { (void) f; }
void (*volatile keep)(struct frame *) = isr;
int main(void) { keep(0); return 0; }
