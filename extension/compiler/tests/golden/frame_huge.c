/* A native stack frame over the verifier's 60 KiB (a 64 KiB vector value
 * live across a call is spilled to the native stack): a clear error naming
 * the function and its line, never a stack-probe loop.  The data are
 * arrays: a global of the vector type would be aligned to 64 KiB. */
typedef long long big __attribute__((vector_size(65536)));
long long g[8192], h[8192];
long n;
__attribute__((noinline)) static void touch(void) { g[n & 8191] = n; n++; }
void set(int i) { big v; __builtin_memcpy(&v, g, sizeof v); v *= i; touch(); v += n; __builtin_memcpy(h, &v, sizeof v); }
long long get(int i) { return h[i & 8191]; }
