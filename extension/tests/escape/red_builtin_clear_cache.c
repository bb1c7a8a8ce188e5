/*
 * __builtin___clear_cache(begin, end): on x86 a no-op, elsewhere a call to
 * __clear_cache with raw pointers.
 * Expected safe outcome: contained (no-op), or refused.
 */
// EXPECT-REJECT: clear_cache
char code[64];
int main(void) { __builtin___clear_cache(code, code + 64); return 0; }
