/*
 * A naked function with no body: clang emits no prologue, no epilogue and
 * an `unreachable`; in machine code the function either falls through into
 * whatever the linker placed after it or executes nothing at all.
 * Expected safe outcome: refused (naked functions need inline asm), or a
 * contained trap when called.
 */
// EXPECT-REJECT: naked function
__attribute__((naked)) long nk(void) { }
int main(void) { return (int) nk(); }
