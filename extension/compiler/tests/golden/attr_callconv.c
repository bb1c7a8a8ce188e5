/* Other calling conventions and naked functions. */
__attribute__((ms_abi)) int a(int x) { return x + 1; }
__attribute__((regcall)) int b(int x) { return x + 2; }
__attribute__((preserve_all)) int c(int x) { return x + 3; }
__attribute__((naked)) void d(void) { }
int f(void) { return a(1) + b(2) + c(3); }
