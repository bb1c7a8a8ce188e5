/*
 * An _Atomic int inside a packed struct (alignment 1): LLVM's AtomicExpand
 * pass, which runs inside the code generator after instrumentation, turns
 * an under-aligned atomic into a __atomic_load_4/__atomic_compare_exchange
 * libcall that receives the pointer value (the raw 64-bit integer) and
 * pointers to temporaries on the native stack.
 * Expected safe outcome: refused (under-aligned atomic), never a call to a
 * symbol the module does not define.
 */
// EXPECT-REJECT: atomic
struct __attribute__((packed)) s { char c; _Atomic int v; };
struct s g;
int main(void) { __c11_atomic_fetch_add(&g.v, 5, 5); return __c11_atomic_load(&g.v, 5); }
