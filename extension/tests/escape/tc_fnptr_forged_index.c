/* Toolchain: a forged function-pointer value beyond the table traps. */
// EXPECT-FAULT: trap
#include <stdint.h>
typedef int (*fn)(void);
static int a(void) { return 1; }
volatile uintptr_t idx = 3;
int main(void) { fn keep = a; (void) keep; fn f = (fn) idx; return f(); }
