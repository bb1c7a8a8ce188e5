/* Toolchain: rdtsc is not on the instruction allow-list (timing). */
// EXPECT-REJECT: error
int main(void) { return (int) __builtin_readcyclecounter(); }
