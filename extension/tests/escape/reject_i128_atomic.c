/* §5: 128-bit atomics are rejected. */
// EXPECT-REJECT: 128-bit atomic
static __int128 v;
int main(void) { __atomic_fetch_add(&v, 1, __ATOMIC_SEQ_CST); return 0; }
