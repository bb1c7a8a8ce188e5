/* Calls to external functions outside the libc / host API are rejected. */
long syscall(long n, ...);
int open(const char *, int);
long f(void)
{
	// CHECK: reject_syscall.c:[[@LINE+1]]: error: call to external function 'syscall' is not allowed (only the sandbox libc and the tmebox API are available)
	long r = syscall(39);
	// CHECK: reject_syscall.c:[[@LINE+1]]: error: call to external function 'open' is not allowed
	return r + open("/etc/passwd", 0);
}
