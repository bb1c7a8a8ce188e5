/*
 * __builtin_memcpy_inline with a large constant size (llvm.memcpy.inline
 * must be expanded inline by the code generator: it cannot become a call).
 * With %gs pointers LLVM may abort, or emit `rep movsb` (implicit
 * DS:RSI/ES:RDI, no %gs) if the pipeline hands it over.
 * Expected safe outcome: copies inside the view (or refuses); returns 7.
 */
// EXPECT-OUTPUT: 7
static char a[1 << 16], b[1 << 16];
int main(void) { a[65535] = 7; __builtin_memcpy_inline(b, a, 1 << 16); return b[65535]; }
