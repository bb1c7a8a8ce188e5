/*
 * Toolchain attack: #pragma comment(lib, ...) puts the string into the
 * object's .deplibs section (!llvm.dependent-libraries), and ld.lld opens
 * every dependent-library specifier that names an existing file.  A text
 * file it cannot recognise is parsed as a linker script, and the parse
 * error echoes the file's first line (here /etc/passwd) on tmebox-cc's
 * stderr: disclosure of a server file (DESIGN.md §2.6), and the link reads a
 * file outside the policy (§5: "the linker gets only the compiler's own
 * objects").
 *
 * Expected safe outcome: rejected before linking, naming the pragma.
 */
// EXPECT-NO-LINE
// EXPECT-REJECT: pragma comment
#pragma comment(lib, "/etc/passwd")
int main(void) { return 0; }
