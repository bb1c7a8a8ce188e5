/*
 * #pragma comment(lib, "input.bc"): a dependent-library specifier naming a
 * file of tmebox-cc's own temp directory (ld.lld runs there).  ld.lld loads
 * the uninstrumented bitcode of this very source (LTO), whose own
 * .deplibs names input.bc again.
 * Expected safe outcome: rejected, the pragma named; nothing but the
 * compiler's object reaches the linker.
 */
// EXPECT-NO-LINE
// EXPECT-REJECT: pragma comment
#pragma comment(lib, "input.bc")
int main(void) { return 0; }
