/* A macro bomb that clang cannot hold in a memory limit of 256 MB (the
 * GUC minimum; oom_clang.args): exit status 3 and one message, without the
 * crash report (command line, temporary paths) clang prints on its way
 * out, and no reproducer files.  B22 is 2^22 tokens (bomb/bomb.h). */
#include "bomb.h"
int f(void) { return B22; }
