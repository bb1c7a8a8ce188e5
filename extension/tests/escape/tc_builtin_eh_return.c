/* Toolchain: __builtin_eh_return rewrites the return address and stack. */
// EXPECT-REJECT: error
int main(void) { __builtin_eh_return(0, (void *) 0x401000); }
