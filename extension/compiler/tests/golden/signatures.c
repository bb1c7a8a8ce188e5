/* Export rules of ABI.md: supported scalar types are exported with their
 * codes and spelled C declaration; everything else is skipped with a
 * reason; static functions are not listed. */
#include <stdint.h>
#include <stdbool.h>

int32_t add(int32_t a, int32_t b) { return a + b; }
static int helper(int x) { return x * 2; }
double scale(double x, short s) { return x * s + helper(1); }
int64_t wide(long a, long long b, int64_t c) { return a + b + c; }
float ratio(float a, float b) { return a / b; }
bool is_pos(int16_t v) { return v > 0; }
void nothing(void) { }
unsigned int uns(unsigned int x) { return x; }
int with_ptr(int a, char *x) { return a + x[0]; }
char *ret_ptr(char *x) { return x; }
struct pair { int a, b; };
int by_value(struct pair p) { return p.a + p.b; }
int main(void) { return add(1, 2) == 3 ? 0 : 1; }
