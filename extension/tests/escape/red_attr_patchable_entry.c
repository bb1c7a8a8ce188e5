/*
 * patchable_function_entry(64, 32): 32 NOPs before the symbol and 32 after,
 * plus a __patchable_function_entries section of absolute code addresses
 * (R_X86_64_64 relocations into a data section of the module).
 * Expected safe outcome: refused, or contained (the NOPs run, nothing else).
 */
// EXPECT-CONTAINED
__attribute__((patchable_function_entry(64, 32))) int f(int x) { return x + 1; }
int main(void) { return f(1); }
