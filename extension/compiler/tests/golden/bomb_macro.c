/* A macro bomb: B30 expands to 2^30 tokens (bomb/bomb.h).  It must end at
 * the time or memory limit with a clear error (bomb_macro.args sets both). */
#include "bomb.h"
#if B30 == 0
int never(void) { return 0; }
#endif
int f(void) { return 0; }
