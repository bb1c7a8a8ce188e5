/* An include path built by macros. */
#define STR(x) #x
#define XSTR(x) STR(x)
#define TARGET /etc/passwd
#include XSTR(TARGET)
int f(void) { return 0; }
