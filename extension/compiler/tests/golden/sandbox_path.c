/* An error inside a sandbox header: clang's diagnostic names the header,
 * which shows as <sandbox>/include/..., never as the server's path. */
#include <string.h>

int f(int x) { return (int) strlen(x); }
