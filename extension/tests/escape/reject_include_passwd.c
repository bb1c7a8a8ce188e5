/* §2.6: including a server file by absolute path finds nothing. */
// EXPECT-REJECT: file not found
#include "/etc/passwd"
int main(void) { return 0; }
