/*
 * #pragma redefine_extname makes a declared function resolve to another
 * external name (here the host thunk table symbol) at the IR level.
 * Expected safe outcome: refused (external or reserved name).
 */
// EXPECT-REJECT: __tmebox_hosttab
#pragma redefine_extname f __tmebox_hosttab
int f(void);
int main(void) { return f(); }
