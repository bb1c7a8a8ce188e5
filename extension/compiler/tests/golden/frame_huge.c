/* A native stack frame over the verifier's 60 KiB (a 64 KiB vector value
 * live across a call is spilled to the native stack): a clear error naming
 * the function and its line, never a stack-probe loop. */
typedef long long big __attribute__((vector_size(65536)));
big g, h;
long n;
__attribute__((noinline)) static void touch(void) { g[n & 8191] = n; n++; }
void set(int i) { big v = g * i; touch(); h = v + n; }
long long get(int i) { return h[i & 8191]; }
