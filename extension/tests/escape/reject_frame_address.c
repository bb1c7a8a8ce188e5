/* §2.2: reading the frame address (a native stack pointer) is rejected. */
// EXPECT-REJECT: frameaddress
#include <stdint.h>
int main(void) { return (int) (uintptr_t) __builtin_frame_address(0); }
