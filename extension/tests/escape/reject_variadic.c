/* §5: variadic definitions are rejected. */
// EXPECT-REJECT: variadic
#include <stdarg.h>
int sum(int n, ...) { return n; }
int main(void) { return sum(2, 1, 2); }
