/* Toolchain: an asm label on a declaration names an external symbol
 * (the server's CurrentUserId) as a variable. */
// EXPECT-REJECT: error
extern int cu __asm__("CurrentUserId");
int main(void) { return cu; }
