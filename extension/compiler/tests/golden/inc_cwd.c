/* A file relative to the compiler's working directory (the server's data
 * directory in production, e.g. "base/1/1259"): must be "not found". */
#include "inc_cwd.secret"
int f(void) { return 0; }
