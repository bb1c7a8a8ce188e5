/*
 * #include_next <stdint.h> from the user's file: continues the header
 * search after the directory the current file was found in, possibly
 * into clang's resource dir or /usr/include.
 * Expected safe outcome: refused (file not found) — only the sandbox
 * headers are readable.
 */
// EXPECT-REJECT: not found
#include_next <stddef.h>
#include_next <linux/limits.h>
int main(void) { return 0; }
