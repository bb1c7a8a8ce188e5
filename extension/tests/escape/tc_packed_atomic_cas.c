/* Toolchain: an atomic on a packed field becomes a code-generator libcall
 * __atomic_compare_exchange(size, raw pointer) after instrumentation. */
// EXPECT-REJECT: under-aligned object
#include <stdint.h>
struct __attribute__((packed)) s { char c; int64_t v; };
static struct s g;
int main(void) { int64_t e = 0; return __atomic_compare_exchange_n(&g.v, &e, (int64_t) 0x7ffe00001000, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); }
