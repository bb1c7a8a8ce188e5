/* leak.h in the -I directory is a symlink to a file outside it (made by
 * symlink_file.setup): it must be invisible, while the regular ok.h is
 * found. */
#include "ok.h"
#include "leak.h"
int f(void) { return OK_VALUE; }
