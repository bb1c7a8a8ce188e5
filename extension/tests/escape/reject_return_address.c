/* §2.2: reading the return address is rejected. */
// EXPECT-REJECT: returnaddress
#include <stdint.h>
int main(void) { return (int) (uintptr_t) __builtin_return_address(0); }
