/* A native stack frame over the verifier's 60 KiB (a dynamic element store
 * into a 64 KiB vector value needs a 64 KiB stack temporary): a clear error
 * naming the function and its line, never a stack-probe loop. */
typedef long long big __attribute__((vector_size(65536)));
big g, h;
void set(int i, long long x) { big v = g; v[i & 8191] = x; h = v; }
long long get(int i) { return h[i & 8191]; }
