/*
 * __builtin_thread_pointer() -> llvm.thread.pointer: reads %fs:0, the
 * host's TLS block address.
 * Expected safe outcome: refused.
 */
// EXPECT-REJECT: thread.pointer
long tp(void) { return (long) __builtin_thread_pointer(); }
int main(void) { return (int) tp(); }
