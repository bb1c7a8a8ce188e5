/*
 * #line names a server file: clang's diagnostics, the debug info and
 * cc_report print the presumed file name; nothing may open it, and no
 * diagnostic may show its contents.
 * Expected safe outcome: refused (the error below) without any line of
 * /etc/passwd in the output.
 */
// EXPECT-REJECT: inline assembly
#line 1 "/etc/passwd"
int main(void) { __asm__("nop"); return 0; }
