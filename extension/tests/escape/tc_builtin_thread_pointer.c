/* Toolchain: the thread pointer is the host's %fs base. */
// EXPECT-REJECT: error
#include <stdint.h>
int main(void) { return (int) (uintptr_t) __builtin_thread_pointer(); }
