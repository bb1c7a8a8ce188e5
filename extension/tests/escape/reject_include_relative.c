/* §2.6: including a data-directory file by relative path finds nothing. */
// EXPECT-REJECT: file not found
#include "base/1/1259"
int main(void) { return 0; }
