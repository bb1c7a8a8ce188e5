/* §2.5: a function returning a forged buffer pointer: the host checks the
 * offset before reading and refuses it. */
// RUN: forged
// EXPECT-FAULT: invalid result
#include <tmebox.h>
#include <stdint.h>
tmebox_buf *forged(void) { return (tmebox_buf *) (uintptr_t) 0xfffff000U; }
