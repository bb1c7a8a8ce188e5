/* §5: setjmp/longjmp are rejected. */
// EXPECT-REJECT: setjmp
typedef long jmp_buf[8];
int setjmp(jmp_buf env);
int main(void) { jmp_buf b; return setjmp(b); }
