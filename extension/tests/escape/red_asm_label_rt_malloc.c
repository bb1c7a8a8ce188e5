/*
 * An asm label gives a tenant function the name of a runtime ABI symbol
 * that cc_is_reserved_name does not list: __tmebox_rt_malloc (exported by
 * the module, called by the host to allocate argument buffers).
 * Expected safe outcome: refused (reserved name), or the module keeps the
 * libc's allocator: contained.
 */
// EXPECT-REJECT: __tmebox_rt_malloc
// EXPECT-NO-LINE
void *evil(unsigned long n) __asm__("__tmebox_rt_malloc");
void *evil(unsigned long n) { return (void *) (n + 0x41414141); }
int main(void) { return evil(1) != 0; }
