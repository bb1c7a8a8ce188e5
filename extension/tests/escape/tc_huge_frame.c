/* Toolchain/verifier: a native frame over the 60 KiB the verifier allows
 * (many live values spilled) must be refused, never skip the guard. */
// EXPECT-CONTAINED
#include <stdint.h>
#define N 9000
int main(void)
{
	volatile int64_t v[N];
	int64_t s = 0;
	for (int i = 0; i < N; i++) v[i] = i;
	for (int i = 0; i < N; i++) s += v[i];
	return (int) (s & 1);
}
