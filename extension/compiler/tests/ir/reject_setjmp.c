/* setjmp/longjmp are named specially. */
typedef long jmp_buf[8];
int setjmp(jmp_buf);
void longjmp(jmp_buf, int);
static jmp_buf jb;
int f(int x)
{
	// CHECK: reject_setjmp.c:[[@LINE+1]]: error: setjmp/longjmp ('setjmp') is not supported in sandboxed code
	if (setjmp(jb))
		return 1;
	// CHECK: reject_setjmp.c:[[@LINE+1]]: error: setjmp/longjmp ('longjmp') is not supported in sandboxed code
	longjmp(jb, x);
}
