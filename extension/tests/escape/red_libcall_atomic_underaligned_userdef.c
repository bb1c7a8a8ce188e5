/*
 * As libcall_atomic_underaligned.c, but the tenant also defines the libcall
 * __atomic_load_4 itself: the code generator's external-symbol call then
 * binds to the tenant's internal function, which receives a pointer into
 * the native stack (the libcall ABI), i.e. a host address as data.
 * Expected safe outcome: refused (reserved runtime-library name or
 * under-aligned atomic).
 */
// EXPECT-REJECT: atomic
struct __attribute__((packed)) s { char c; _Atomic int v; };
struct s g;
__attribute__((used, noinline)) unsigned __atomic_load_4(const volatile void *p, int order) {
	(void) order; return (unsigned) (unsigned long) p;
}
struct s *volatile gp = &g;
long main_(void) { return __c11_atomic_load(&gp->v, 5); }
int main(void) { return (int) main_(); }
