/*
 * __builtin_setjmp/__builtin_longjmp -> llvm.eh.sjlj.setjmp/longjmp: the
 * buffer (in the view) holds a native %rsp and a code address that
 * longjmp loads and jumps to: forgeable by the tenant.
 * Expected safe outcome: refused.
 */
// EXPECT-REJECT: sjlj
void *buf[5];
int main(void) {
	if (__builtin_setjmp(buf) == 0) {
		buf[1] = (void *) 0x41414141;
		__builtin_longjmp(buf, 1);
	}
	return 0;
}
