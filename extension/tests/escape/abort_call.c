/* §2.3: abort() is a clean trap error. */
// EXPECT-FAULT: trap
#include <stdlib.h>
int main(void) { abort(); }
