/* §5: calls to external functions outside the sandbox libc are rejected. */
// EXPECT-REJECT: syscall
long syscall(long n, ...);
int main(void) { return (int) syscall(60, 0); }
