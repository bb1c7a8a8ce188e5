/* Thread-local variables are rejected. */
_Thread_local int t;
int f(void)
{
	// CHECK: reject_tls.c:[[@LINE+1]]: error: thread-local variable 't' is not allowed in sandboxed code
	return t++;
}
