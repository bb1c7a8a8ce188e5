/* An atomic on a packed (under-aligned) field: the code generator would
 * lower it to an __atomic_compare_exchange libcall on a raw pointer. */
#include <stdint.h>
struct __attribute__((packed)) s { char c; int64_t v; };
static struct s g;
int f(void)
{
	int64_t e = 0;
	return __atomic_compare_exchange_n(&g.v, &e, 5, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
