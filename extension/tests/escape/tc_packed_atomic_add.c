/* Toolchain: an under-aligned atomic add (libcall __atomic_fetch_add_8 on a
 * raw pointer). */
// EXPECT-REJECT: under-aligned object
#include <stdint.h>
struct __attribute__((packed)) s { char c; int64_t v; };
static struct s g;
int main(void) { return (int) __atomic_fetch_add(&g.v, 1, __ATOMIC_RELAXED); }
