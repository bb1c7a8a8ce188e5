/*
 * Declaring a host call with a wrong prototype through an asm label:
 * __tmebox_host_memmove called with a double and two pointers; the host
 * thunk reads the integer registers regardless.
 * Expected safe outcome: refused (host call with a wrong signature) or
 * contained (the host bounds-checks what it gets).
 */
// EXPECT-CONTAINED
void hm(double a, long b, long c) __asm__("__tmebox_host_memmove");
int main(void) { hm(1.0, 0x7fff00000000L, 1 << 30); return 0; }
