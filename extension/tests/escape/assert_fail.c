/* A failed assert() is an error carrying its message. */
// EXPECT-FAULT: assertion failed
#include <assert.h>
int main(void) { volatile int x = 1; assert(x == 2); return 0; }
