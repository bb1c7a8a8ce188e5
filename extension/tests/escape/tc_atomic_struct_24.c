/* Toolchain: a 24-byte _Atomic struct is lowered to the generic
 * __atomic_load/__atomic_store libcalls with raw pointers. */
// EXPECT-REJECT: error
struct big { long a, b, c; };
static _Atomic struct big g;
int main(void) { struct big x = g; return (int) x.a; }
