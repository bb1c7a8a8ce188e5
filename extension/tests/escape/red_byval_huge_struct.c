/*
 * A 64 MiB struct passed by value and returned by value: x86-64 passes it
 * in the caller's native stack frame (byval) and returns through sret;
 * the code generator copies it with memcpy or rep movs.  A 64 MiB native
 * frame also skips the native stack's guard page unless probed.
 * Expected safe outcome: contained (data-stack overflow or correct
 * result), never a host fault.
 */
// EXPECT-REJECT: data stack
struct big { char b[64 << 20]; };
static struct big g;
__attribute__((noinline)) static int take(struct big s) { return s.b[12345] + s.b[(64 << 20) - 1]; }
__attribute__((noinline)) static struct big give(int x) { struct big s; s.b[0] = (char) x; s.b[12345] = 3; return s; }
int main(void) { g = give(1); g.b[(64 << 20) - 1] = 4; return take(g); }
