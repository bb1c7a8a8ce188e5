/* A successful compile, traced: no process (clang, libclang, ld.lld)
 * touches a file outside the policy. */
int f(int x) { return x * 3; }
