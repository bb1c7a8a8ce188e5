/*
 * _Atomic of a 3-byte struct: no lock-free instruction, clang emits a call
 * to the generic __atomic_load(size, src, dst, order) libcall.
 * Expected safe outcome: refused with a clear message, or (clang pads it
 * to 4 bytes and uses a lock-free i32 atomic) contained.
 */
// EXPECT-CONTAINED
struct three { char a, b, c; };
_Atomic struct three g;
int main(void) { struct three t = g; return t.a; }
