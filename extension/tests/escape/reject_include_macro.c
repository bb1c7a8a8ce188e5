/* §2.6: a macro-built include path is subject to the same policy. */
// EXPECT-REJECT: file not found
#define STR2(x) #x
#define STR(x) STR2(x)
#define P /etc/hostname
#include STR(P)
int main(void) { return 0; }
