/* §5: inline assembly is rejected at compile time. */
// EXPECT-REJECT: inline assembly
int main(void) { __asm__ volatile("syscall"); return 0; }
