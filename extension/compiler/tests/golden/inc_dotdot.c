/* Climbing out of the private directory: must be "not found". */
#include "../../../../../../../../etc/passwd"
int f(void) { return 0; }
