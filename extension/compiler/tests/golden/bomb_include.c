/* A preprocessor bomb: every level includes this file twice, 2^40
 * inclusions in all, in constant memory.  It must end at the time limit
 * (--timeout 2, see bomb_include.args) with a clear error. */
#if __INCLUDE_LEVEL__ < 40
#include __FILE__
#include __FILE__
#endif
#if __INCLUDE_LEVEL__ == 0
int f(void) { return 0; }
#endif
