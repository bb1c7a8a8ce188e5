/* Constructors and destructors are rejected (they would run at load). */
// CHECK-DAG: reject_ctor.c:[[@LINE+1]]: error: constructors (__attribute__((constructor))) are not allowed in sandboxed code
__attribute__((constructor)) static void init(void) {}
// CHECK-DAG: reject_ctor.c:[[@LINE+1]]: error: destructors (__attribute__((destructor))) are not allowed in sandboxed code
__attribute__((destructor)) static void fini(void) {}
int f(void) { return 1; }
