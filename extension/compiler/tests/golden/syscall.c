/* A direct system call through an undeclared external function. */
long syscall(long n, ...);
long f(void)
{
	return syscall(39);
}
