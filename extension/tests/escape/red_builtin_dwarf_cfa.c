/*
 * __builtin_dwarf_cfa() -> llvm.eh.dwarf.cfa: the canonical frame address,
 * a native-stack (host) address, as an integer the tenant can print.
 * Expected safe outcome: refused with a message naming the builtin.
 */
// EXPECT-REJECT: eh.dwarf.cfa
long main_(void) { return (long) __builtin_dwarf_cfa(); }
int main(void) { return (int) main_(); }
