/* An absolute path outside the allowed files: must be "not found". */
#include "/etc/passwd"
int f(void) { return 0; }
