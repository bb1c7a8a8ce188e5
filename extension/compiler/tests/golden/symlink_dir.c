/* etc in the -I directory is a symlink to /etc (made by
 * symlink_dir.setup): nothing below it may be reached. */
#include "ok.h"
#include "etc/passwd"
int f(void) { return OK_VALUE; }
